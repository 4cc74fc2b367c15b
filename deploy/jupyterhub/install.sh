#!/usr/bin/env bash
# A raakvlak team hub on an empty Debian (or Ubuntu) server. Run as root from a clone of
# raakvlak:
#
#   deploy/jupyterhub/install.sh PROJECT_DIR [GROUP]
#
# It installs what the hub needs from the package registries (Debian's python3-venv,
# nodejs, npm and git; raakvlak with JupyterHub from the Python package index; the
# proxy pinned in package-lock.json from the npm registry) into $RAAKVLAK_HUB_PREFIX
# (default /opt/raakvlak-hub), makes the team's group (default raakvlak) and the shared
# project folder (a new project unless PROJECT_DIR holds one), writable for the group,
# and prints how to start the hub and add members. Running it again updates the
# installation and leaves the project as it is.
set -euo pipefail

project=${1:?usage: install.sh PROJECT_DIR [GROUP]}
group=${2:-raakvlak}
prefix=${RAAKVLAK_HUB_PREFIX:-/opt/raakvlak-hub}
# the system's Python: every member's server runs it (a Python under root's home would not do)
python=${RAAKVLAK_HUB_PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
source=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (it makes a group and a shared folder)" >&2; exit 1; }

missing=()
for tool in "$python" node npm git; do command -v "$tool" >/dev/null || missing+=("$tool"); done
"$python" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq python3 python3-venv nodejs npm git >/dev/null
fi

echo "install.sh: raakvlak and JupyterHub into $prefix ..."
[ -x "$prefix/bin/python" ] || "$python" -m venv "$prefix"
if ! runuser -u nobody -- "$prefix/bin/python" -c pass 2>/dev/null; then
  echo "install.sh: other users cannot run $prefix/bin/python (it is $(readlink -f "$prefix/bin/python"));" \
       "remove $prefix and set RAAKVLAK_HUB_PYTHON to a Python every user may run" >&2
  exit 1
fi
"$prefix/bin/python" -m pip install --quiet --upgrade pip
"$prefix/bin/python" -m pip install --quiet "$source[hub]"
echo "install.sh: the proxy (configurable-http-proxy, pinned) ..."
cp "$here/package.json" "$here/package-lock.json" "$prefix/"
npm ci --prefix "$prefix" --omit=dev --no-audit --no-fund --loglevel=error >/dev/null

getent group "$group" >/dev/null || groupadd "$group"
if [ ! -f "$project/raakvlak.toml" ]; then
  "$prefix/bin/raakvlak" init "$project"
fi
# the team's folder: group-owned, group-writable, new files inherit the group (setgid);
# each member's server runs with umask 002 (raakvlak.hub), so what they write stays shared
chgrp -R "$group" "$project"
chmod -R g+rwX "$project"
find "$project" -type d -exec chmod g+s {} +

state=/var/lib/raakvlak-hub
mkdir -p "$state"
chmod 700 "$state"
cat <<EOF
install.sh: done. Start the hub (better: as a systemd service with these lines):

  cd $state && RAAKVLAK_PROJECT=$project RAAKVLAK_HUB_IP=0.0.0.0 \\
    $prefix/bin/jupyterhub -f $here/jupyterhub_config.py

Add a member (an account on this server, in the team's group, listed as a coder):

  useradd -m -G $group anna && passwd anna
  $prefix/bin/raakvlak coders --project $project --add anna

Put a web server with TLS in front of port 8000, or use the institution's single
sign-on: set RAAKVLAK_HUB_AUTHENTICATOR (see README.md beside this script).
EOF
