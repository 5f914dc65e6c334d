"""ninjagen sample package: two C extension modules sharing a static library."""
from ._area import FAST, UNITS, circle_area, geom_version, rect_area, triangle_area
from ._perimeter import circle_perimeter, polygon_perimeter, rect_perimeter

__all__ = [
    "FAST",
    "UNITS",
    "circle_area",
    "circle_perimeter",
    "geom_version",
    "polygon_perimeter",
    "rect_area",
    "rect_perimeter",
    "triangle_area",
]
