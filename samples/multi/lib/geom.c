/* Static helper library "geom", built once and linked into both extensions. */
#include <math.h>

#include "geom.h"

#ifndef GEOM_VERSION
#error "GEOM_VERSION must come from the library's define-macros"
#endif

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

int
geom_version(void)
{
    return GEOM_VERSION;
}

double
geom_circle_area(double r)
{
    return M_PI * r * r;
}

double
geom_circle_perimeter(double r)
{
    return 2.0 * M_PI * r;
}

double
geom_triangle_area(double a, double b, double c)
{
    double s = (a + b + c) / 2.0;
    double q = s * (s - a) * (s - b) * (s - c);

    if (a <= 0.0 || b <= 0.0 || c <= 0.0 || q <= 0.0)
        return -1.0;
    return sqrt(q);
}

double
geom_distance(double x1, double y1, double x2, double y2)
{
    return hypot(x2 - x1, y2 - y1);
}
