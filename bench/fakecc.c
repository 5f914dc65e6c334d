/* A stand-in for gcc, used only to bring the L workload (10,000 sources) to an
 * up-to-date state so that a no-op ninja can be timed on it: bench/run.py puts
 * it first on PATH under the name "gcc".
 *
 * It writes an empty -o file and, when given -MF, the depfile gcc -MMD would
 * have written: the source, the headers it includes with #include "..."
 * (found through the -I folders), and the Python headers listed in the file
 * named by $FAKECC_DEPS (computed once with the real gcc -MM).  Response files
 * (@file) and every other option are ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DIRS 64

int main(int argc, char **argv) {
    const char *out = NULL, *dep = NULL, *src = NULL;
    const char *dirs[MAX_DIRS];
    int ndirs = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "-MF") && i + 1 < argc) dep = argv[++i];
        else if ((!strcmp(argv[i], "-MQ") || !strcmp(argv[i], "-MT")) && i + 1 < argc) i++;
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) src = argv[++i];
        else if (!strncmp(argv[i], "-I", 2) && argv[i][2] && ndirs < MAX_DIRS) dirs[ndirs++] = argv[i] + 2;
        else if (argv[i][0] != '-' && !src && strstr(argv[i], ".c")) src = argv[i];
    }
    if (!out) return 0;
    FILE *o = fopen(out, "wb");
    if (!o) { perror(out); return 1; }
    fclose(o);
    if (!dep) return 0;
    FILE *d = fopen(dep, "w");
    if (!d) { perror(dep); return 1; }
    fprintf(d, "%s: %s", out, src ? src : "");
    FILE *s = src ? fopen(src, "r") : NULL;
    char line[4096], path[8192];
    while (s && fgets(line, sizeof line, s)) {
        char *q = strstr(line, "#include \"");
        if (!q) continue;
        q += 10;
        char *end = strchr(q, '"');
        if (!end) continue;
        *end = 0;
        for (int k = 0; k < ndirs; k++) {
            snprintf(path, sizeof path, "%s/%s", dirs[k], q);
            if (access(path, F_OK) == 0) { fprintf(d, " \\\n %s", path); break; }
        }
    }
    if (s) fclose(s);
    const char *extra = getenv("FAKECC_DEPS");
    FILE *e = extra ? fopen(extra, "r") : NULL;
    while (e && fgets(line, sizeof line, e)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0]) fprintf(d, " \\\n %s", line);
    }
    if (e) fclose(e);
    fputc('\n', d);
    fclose(d);
    return 0;
}
