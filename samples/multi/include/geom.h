/* Public interface of the static helper library "geom" (lib/geom.c). */
#ifndef GEOM_H
#define GEOM_H

int geom_version(void);
double geom_circle_area(double r);
double geom_circle_perimeter(double r);
/* Heron's formula; returns -1.0 if a, b, c do not form a triangle. */
double geom_triangle_area(double a, double b, double c);
double geom_distance(double x1, double y1, double x2, double y2);

#endif /* GEOM_H */
