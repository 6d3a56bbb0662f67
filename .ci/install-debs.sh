#!/usr/bin/env bash
# Install the Debian packages the tests need, idempotently:
#   golang-go                       - builds tests/support/bbolt-helper (bbolt interop)
#   golang-github-coreos-bbolt-dev  - bbolt 1.3.6 Go source (GOPATH /usr/share/gocode)
#   etcd-server, etcd-client        - the real etcd 3.4.23 / etcdctl for compatibility tests
# Fast no-op when everything is already installed (no apt-get update).
# Never leaves an etcd daemon running: service starts are denied via policy-rc.d
# during the install (Debian's etcd-server postinst would otherwise try to start it).
set -euo pipefail

PKGS=(golang-go golang-github-coreos-bbolt-dev etcd-server etcd-client)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-debs: all present (${PKGS[*]})"
  exit 0
fi

echo "install-debs: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Deny service starts during the install; restore whatever policy was there before.
POLICY=/usr/sbin/policy-rc.d
backup=""
if [ -e "$POLICY" ]; then
  backup="$(mktemp)"
  $SUDO cp -p "$POLICY" "$backup"
fi
restore_policy() {
  if [ -n "$backup" ]; then
    $SUDO cp -p "$backup" "$POLICY"
    rm -f "$backup"
  else
    $SUDO rm -f "$POLICY"
  fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
$SUDO chmod 755 "$POLICY"

$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}"

# Belt and braces: if some init path still started etcd, stop the packaged service
# (only the Debian service, never a test's own etcd).
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now etcd.service >/dev/null 2>&1 || true
elif [ -x /etc/init.d/etcd ]; then
  $SUDO /etc/init.d/etcd stop >/dev/null 2>&1 || true
fi

go version
etcd --version | head -1
etcdctl version | head -1
test -f /usr/share/gocode/src/go.etcd.io/bbolt/db.go
echo "install-debs: done"
