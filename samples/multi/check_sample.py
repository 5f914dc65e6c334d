"""Run from the sample root after building: python check_sample.py"""
import math
import os
import sys
import sysconfig

here = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, os.path.join(here, "src"))

import shapes  # noqa: E402
from shapes import _area, _perimeter  # noqa: E402

# Both extensions must be built in place, inside src/shapes/.
ext_suffix = sysconfig.get_config_var("EXT_SUFFIX")
pkg_dir = os.path.join(here, "src", "shapes")
for mod in (_area, _perimeter):
    assert os.path.dirname(os.path.realpath(mod.__file__)) == pkg_dir, mod.__file__
    assert mod.__file__.endswith(ext_suffix), mod.__file__

# define-macros: string value, value-less macro; library's own define-macro.
assert shapes.UNITS == "cm", shapes.UNITS
assert _perimeter.UNITS == "cm", _perimeter.UNITS
assert shapes.FAST is True
assert _perimeter.FAST is True
assert shapes.geom_version() == 3

# Areas (values chosen so the floating-point results are exact).
assert shapes.circle_area(1.0) == math.pi
assert shapes.circle_area(2.0) == 4 * math.pi
assert shapes.rect_area(3.0, 4.5) == 13.5
assert shapes.triangle_area(3.0, 4.0, 5.0) == 6.0  # sqrt from libm

# Perimeters.
assert shapes.circle_perimeter(0.5) == math.pi
assert shapes.circle_perimeter(1.0) == 2 * math.pi
assert shapes.rect_perimeter(3.0, 4.5) == 15.0
assert shapes.polygon_perimeter([(0, 0), (3, 0), (3, 4)]) == 12.0  # hypot from libm
assert shapes.polygon_perimeter([(0, 0), (3, 0), (3, 4), (0, 4)]) == 14.0
assert shapes.polygon_perimeter([]) == 0.0

for bad_call in (
    lambda: shapes.circle_area(-1.0),
    lambda: shapes.triangle_area(1.0, 1.0, 3.0),
    lambda: shapes.rect_perimeter(-1.0, 1.0),
):
    try:
        bad_call()
    except ValueError:
        pass
    else:
        raise AssertionError("expected ValueError")
for bad_points in ([(0, 0), "xy"], [(0, 0), (1, 2, 3)], [(0, "y")]):
    try:
        shapes.polygon_perimeter(bad_points)
    except TypeError:
        pass
    else:
        raise AssertionError("expected TypeError for %r" % (bad_points,))

print("ok multi")
