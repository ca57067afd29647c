#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service,
# so the secure token store (and keytar) can be tested headless:
#
#   scripts/with-secret-service.sh node --test __test__/secure-store.test.mjs
#
# Needs Debian's gnome-keyring and dbus (`dbus-run-session`), as .ci/run installs them. The
# keyring lives in a throw-away XDG_DATA_HOME, so the user's own keyrings are never touched, and
# gnome-keyring-daemon exits with the private bus. Inside, SECRET_SERVICE_TEST=1 is set.
set -eu
if [ -z "${__AXWAY_IN_SS_SESSION:-}" ]; then
  for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "with-secret-service: $tool not found; install it with: apt-get install -y gnome-keyring dbus" >&2
      exit 127
    }
  done
  export __AXWAY_IN_SS_SESSION=1
  XDG_DATA_HOME="$(mktemp -d)"; export XDG_DATA_HOME
  XDG_RUNTIME_DIR="$(mktemp -d)"; chmod 700 "$XDG_RUNTIME_DIR"; export XDG_RUNTIME_DIR
  trap 'rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"' EXIT
  # no exec: the trap must run after the session ends
  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  exit "$status"
fi
# A new login keyring, created and unlocked with a throw-away password read from stdin.
eval "$(printf 'axway-auth-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export SECRET_SERVICE_TEST=1
"$@"
