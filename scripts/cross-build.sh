#!/usr/bin/env bash
# Release builds of the Linux targets a Linux x64 machine can make, and the tests it can run on
# them. Not part of CI (`npm test` builds and tests the host target only); the release workflow
# (.github/workflows/release.yml) builds every target the same way.
#
#   bash scripts/cross-build.sh [--build-only] [x64-gnu] [arm64-gnu] [x64-musl]   (default: all three)
#
#   x64-gnu    x86_64-unknown-linux-gnu with a glibc 2.17 floor (napi build --use-napi-cross), then
#              every node --test suite on it and the install-from-tarball test with it
#   arm64-gnu  aarch64-unknown-linux-gnu (--use-napi-cross), then the installed package's command
#              and API run under qemu-aarch64-static with Debian's arm64 nodejs
#   x64-musl   x86_64-unknown-linux-musl (napi build -x: cargo-zigbuild + zig from PyPI's ziglang);
#              build only, there is no musl Node to test it with
#
# Outputs: artifacts/bindings-<triple>/axway-auth.<platform>.node (the layout `napi artifacts`
# reads; the generated index.js and index.d.ts beside it) and artifacts/cross-build-summary.txt.
# --build-only skips the tests (the release workflow builds with this script, tests elsewhere). Scratch (tool installs, cargo target dir, the arm64
# root): $CROSS_WORK, default /tmp/axway-auth-cross.
#
# What it installs, all from the registries: `rustup target add` for the targets (rustup's own
# server, which may be unreachable: the target is then skipped), npm packages in $CROSS_WORK
# (@napi-rs/cli with the overrides below), ziglang from PyPI, cargo-zigbuild from crates.io, and
# Debian's debootstrap + qemu-user-static + arm64 nodejs.
#
# Why the @napi-rs/cli used for --use-napi-cross lives in its own folder (toolchain.md §4):
#   * @napi-rs/cross-toolchain needs @napi-rs/lzma, whose 1.5.x native packages require Node >= 22.20,
#     so on Node 20 npm skips them: override @napi-rs/lzma to 1.4.5;
#   * cross-toolchain 1.0.5 (what cli 3.10.12 pulls) asks for target packages that do not exist:
#     override it to 1.0.0 for the x64 target and 1.0.3 for aarch64, which cannot share a lockfile.
# Keeping these overrides out of the project's package.json keeps `npm ci` unchanged.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${CROSS_WORK:-/tmp/axway-auth-cross}
OUT="$ROOT/artifacts"
mkdir -p "$WORK" "$OUT"
cd "$ROOT"

NAPI_CLI_VERSION=$(node -p "require('./package.json').devDependencies['@napi-rs/cli']")
SUMMARY="$OUT/cross-build-summary.txt"
: > "$SUMMARY"
BUILD_ONLY=
if [ "${1:-}" = --build-only ]; then
	BUILD_ONLY=1
	shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x64-gnu arm64-gnu x64-musl)

log() { printf '\n== %s\n' "$*"; }
note() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
glibc_floor() { objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1; }
size_of() { du -h "$1" | cut -f1; }

# The project's @napi-rs/cli with the cross-toolchain overrides, in its own folder.
napi_cross_cli() { # <cross-toolchain version>
	local dir="$WORK/napi-cross-$1"
	if [ ! -x "$dir/node_modules/.bin/napi" ]; then
		mkdir -p "$dir"
		cat > "$dir/package.json" <<-EOF
		{
		  "name": "axway-auth-cross-tools",
		  "private": true,
		  "devDependencies": { "@napi-rs/cli": "$NAPI_CLI_VERSION" },
		  "overrides": { "@napi-rs/lzma": "1.4.5", "@napi-rs/cross-toolchain": "$1" }
		}
		EOF
		(cd "$dir" && npm install --no-audit --no-fund --ignore-scripts >&2) || return 1
	fi
	echo "$dir/node_modules/.bin/napi"
}

add_rust_target() { # <triple>
	rustup target list --installed | grep -qx "$1" && return 0
	rustup target add "$1" || { note "$1: SKIPPED, rustup target add failed (rustup's server unreachable?)"; return 1; }
}

# napi build into artifacts/bindings-<triple>/, with its own cargo target dir so a build here
# does not wait on (or invalidate) the project's target/.
napi_build() { # <napi binary> <triple> [extra args...]
	local napi=$1 triple=$2
	shift 2
	local dest="$OUT/bindings-$triple"
	rm -rf "$dest"
	"$napi" build --cwd "$ROOT" --platform --release --target "$triple" \
		--target-dir "$WORK/target" --output-dir "$dest" --js index.js --dts index.d.ts "$@" >&2 || return 1
	ls "$dest"/*.node
}

# The local platform on the host's Node, for the arm64 run: sets PLATFORM_PID and BASE_URL.
start_platform() {
	coproc PLATFORM { exec node __test__/platform/server.mjs --port 0 2>/dev/null; }
	local line
	read -r line <&"${PLATFORM[0]}"
	BASE_URL=$(node -p "JSON.parse(process.argv[1]).baseUrl" "$line")
}

build_x64_gnu() {
	local triple=x86_64-unknown-linux-gnu start=$SECONDS napi node
	log "$triple, glibc 2.17 floor (--use-napi-cross)"
	napi=$(napi_cross_cli 1.0.0) || { note "$triple: npm install of the napi-cross tools FAILED"; return 1; }
	node=$(napi_build "$napi" "$triple" --use-napi-cross) || { note "$triple: BUILD FAILED"; return 1; }
	local built=$((SECONDS - start))
	if [ -n "$BUILD_ONLY" ]; then
		note "$triple: built in ${built}s, $(size_of "$node"), newest glibc symbol $(glibc_floor "$node")"
		return 0
	fi
	log "$triple: every node --test suite on this build, then the install test with it"
	local tested=passed f
	local -a suites=() wrap=()
	for f in __test__/*.test.mjs; do
		[ "$f" = __test__/install.test.mjs ] || suites+=("$f")
	done
	# As npm test does: inside a private Secret Service session when gnome-keyring is there.
	if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null && [ -f scripts/with-secret-service.sh ]; then
		wrap=(sh scripts/with-secret-service.sh)
	fi
	# The generated loader loads NAPI_RS_NATIVE_LIBRARY_PATH first; the install test packs
	# AXWAY_AUTH_INSTALL_TEST_NODE (and strips NAPI_RS_* from the installed project's env).
	NAPI_RS_NATIVE_LIBRARY_PATH="$node" "${wrap[@]}" node --test --test-concurrency=2 "${suites[@]}" || tested=FAILED
	AXWAY_AUTH_INSTALL_TEST_NODE="$node" node --test __test__/install.test.mjs || tested=FAILED
	note "$triple: built in ${built}s, $(size_of "$node"), newest glibc symbol $(glibc_floor "$node"); node --test suites + install test: $tested ($((SECONDS - start))s in all)"
}

# Debian bookworm arm64 with nodejs, unpacked (not installed: it cannot sit beside the host's
# amd64 nodejs), for qemu-aarch64-static -L.
arm64_root() {
	local rootfs="$WORK/arm64-root"
	if [ ! -x "$rootfs/usr/bin/node" ]; then
		if ! command -v qemu-aarch64-static >/dev/null || ! command -v debootstrap >/dev/null; then
			apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap qemu-user-static >&2
		fi
		local mirror
		mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1)
		rm -rf "$rootfs"
		debootstrap --arch=arm64 --foreign --variant=minbase --include=nodejs bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >&2
		for deb in "$rootfs"/var/cache/apt/archives/*.deb; do dpkg -x "$deb" "$rootfs"; done
	fi
	echo "$rootfs"
}

# The user's path on arm64, every step checked (`set -e` does not apply inside `|| ...`).
arm64_checks() ( # <dir> <arm64 node command> <client id> <client secret>
	local dir=$1 sa_id=$3 sa_secret=$4 out
	local -a arm_node
	read -r -a arm_node <<< "$2"
	local -a axway=("${arm_node[@]}" node_modules/axway-auth/bin/axway.js)
	cd "$dir/project" || return 1
	export HOME="$dir/home" NO_COLOR=1
	"${arm_node[@]}" -p '"node " + process.version + " " + process.arch' || return 1
	out=$("${axway[@]}" auth ls --json) || return 1
	echo "auth ls --json: $out"
	[ "$out" = "[]" ] || return 1
	"${axway[@]}" auth login --client-id "$sa_id" --client-secret "$sa_secret" --json > login.json || { cat login.json; return 1; }
	"${arm_node[@]}" -e "const a = require('./login.json'); if (a.auth.clientId !== process.argv[1]) throw new Error('login'); console.log('auth login: ' + a.name)" "$sa_id" || return 1
	"${arm_node[@]}" -e "
		const auth = require('axway-auth');
		if (process.arch !== 'arm64') throw new Error(process.arch);
		auth.list().then(a => { if (a.length !== 1) throw new Error('list'); console.log('require: list() has ' + a[0].name); });" || return 1
	"${arm_node[@]}" --input-type=module -e "
		const { whoami } = await import('axway-auth');
		const me = await whoami();
		if (!me) throw new Error('whoami');
		console.log('import: whoami() is ' + me.name);" || return 1
	"${axway[@]}" auth logout --json > /dev/null || return 1
	out=$("${axway[@]}" auth ls --json) || return 1
	echo "after logout: $out"
	[ "$out" = "[]" ]
)

build_arm64_gnu() {
	local triple=aarch64-unknown-linux-gnu start=$SECONDS napi node
	log "$triple (--use-napi-cross)"
	add_rust_target "$triple" || return 1
	napi=$(napi_cross_cli 1.0.3) || { note "$triple: npm install of the napi-cross tools FAILED"; return 1; }
	# ring's ARM assembly needs __ARM_ARCH, which napi-cross's gcc 4.8 does not define.
	node=$(CFLAGS_aarch64_unknown_linux_gnu="-D__ARM_ARCH=8" napi_build "$napi" "$triple" --use-napi-cross) || { note "$triple: BUILD FAILED"; return 1; }
	local built=$((SECONDS - start))
	if [ -n "$BUILD_ONLY" ]; then
		note "$triple: built in ${built}s, $(size_of "$node"), newest glibc symbol $(glibc_floor "$node")"
		return 0
	fi

	log "$triple: install the packed tarballs for linux-arm64 and run them under qemu-aarch64-static"
	local rootfs tested=passed
	rootfs=$(arm64_root)
	local dir="$WORK/arm64-test"
	rm -rf "$dir"
	mkdir -p "$dir/project" "$dir/home/.axway/axway-cli"
	node scripts/pack-test.mjs --out "$dir/pack" --target linux-arm64-gnu --node "$node" || { note "$triple: PACK FAILED"; return 1; }
	echo '{"name":"arm64-install-test","private":true}' > "$dir/project/package.json"
	# npm runs on the host (Debian's arm64 Node 18 is too old for npm 11), so --force lets it
	# install a package whose cpu is arm64; what loads it is the arm64 Node below.
	(cd "$dir/project" && npm install --offline --force --no-audit --no-fund --cache "$dir/npm-cache" \
		"$dir"/pack/tarballs/*.tgz) || { note "$triple: INSTALL FAILED"; return 1; }
	start_platform
	printf '{"auth":{"baseUrl":"%s","platformUrl":"%s","tokenStoreType":"file"}}\n' "$BASE_URL" "$BASE_URL" > "$dir/home/.axway/axway-cli/config.json"
	local arm_node=("qemu-aarch64-static" -L "$rootfs" "$rootfs/usr/bin/node")
	local sa_id sa_secret
	sa_id=$(node --input-type=module -e "import { SERVICE_ACCOUNTS as S } from './__test__/platform/seed.mjs'; console.log(S.secret.clientId)")
	sa_secret=$(node --input-type=module -e "import { SERVICE_ACCOUNTS as S } from './__test__/platform/seed.mjs'; console.log(S.secret.clientSecret)")
	arm64_checks "$dir" "${arm_node[*]}" "$sa_id" "$sa_secret" || tested=FAILED
	kill "$PLATFORM_PID" 2>/dev/null || true
	note "$triple: built in ${built}s, $(size_of "$node"), newest glibc symbol $(glibc_floor "$node"); installed tarballs under qemu-aarch64-static (Debian arm64 $("${arm_node[@]}" --version)): ls/login/require/import/logout $tested ($((SECONDS - start))s in all)"
}

build_x64_musl() {
	local triple=x86_64-unknown-linux-musl start=$SECONDS node
	log "$triple (-x: cargo-zigbuild + zig)"
	add_rust_target "$triple" || return 1
	if [ ! -x "$WORK/venv/bin/python" ]; then
		python3 -m venv "$WORK/venv"
		"$WORK/venv/bin/pip" install -q ziglang==0.17.1
	fi
	mkdir -p "$WORK/bin"
	printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$WORK/venv/bin/python" > "$WORK/bin/zig"
	chmod +x "$WORK/bin/zig"
	[ -x "$WORK/cargo/bin/cargo-zigbuild" ] || cargo install cargo-zigbuild --version 0.24.1 --locked --root "$WORK/cargo"
	node=$(PATH="$WORK/bin:$WORK/cargo/bin:$PATH" napi_build "$ROOT/node_modules/.bin/napi" "$triple" -x) || { note "$triple: BUILD FAILED"; return 1; }
	note "$triple: built in $((SECONDS - start))s, $(size_of "$node"), NEEDED $(readelf -d "$node" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')(zig $("$WORK/bin/zig" version)); not tested: no musl Node here"
}

status=0
for t in "${targets[@]}"; do
	case "$t" in
		x64-gnu) build_x64_gnu || status=1 ;;
		arm64-gnu) build_arm64_gnu || status=1 ;;
		x64-musl) build_x64_musl || status=1 ;;
		*) echo "unknown target $t (x64-gnu, arm64-gnu, x64-musl)" >&2; exit 2 ;;
	esac
done
log "summary (also in $SUMMARY)"
cat "$SUMMARY"
exit $status
