# Sourced by run.sh and test.sh: installs what the project needs from Debian's packages when it is missing.
# As root it installs; otherwise it says exactly what to install and stops.

need_package() { # need_package COMMAND PACKAGE [PACKAGE...]
  local command=$1; shift
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: '$command' is missing. Install it with: sudo apt-get install -y --no-install-recommends $*" >&2
    exit 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    echo "installing $* (apt-get update first)..." >&2
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  else
    echo "installing $*..." >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  command -v "$command" >/dev/null 2>&1 || { echo "error: installed $* but '$command' is still not on PATH" >&2; exit 1; }
}

need_dotnet() {
  command -v dotnet >/dev/null 2>&1 && return 0
  echo "error: the .NET SDK (dotnet, version in global.json) is not installed; see https://dot.net" >&2
  exit 1
}
