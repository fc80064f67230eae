# Shared helpers of the Tongban scripts (sourced, not run).

# Installs Debian packages that are missing. Uses sudo when not root.
ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "tongban: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the kiosk window needs at run time on X11 (loaded with dlopen).
KIOSK_RUNTIME_PACKAGES=(libx11-6 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 libxkbcommon0)
# What the headless checks need.
HEADLESS_PACKAGES=(xvfb xdotool imagemagick x11-utils)

# Keeps build output outside the clone unless the caller chose a place.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tongban-target}"

# Starts Xvfb on a free display with the given geometry; sets DISPLAY and XVFB_PID.
start_xvfb() {
    local geometry="${1:-1920x1080x24}"
    local n
    for n in $(seq 90 120); do
        [ -e "/tmp/.X${n}-lock" ] || break
    done
    Xvfb ":$n" -screen 0 "$geometry" -nolisten tcp -noreset >/dev/null 2>&1 &
    XVFB_PID=$!
    export DISPLAY=":$n"
    for _ in $(seq 50); do
        xdpyinfo >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "tongban: Xvfb did not start on $DISPLAY" >&2
    return 1
}

# Waits until a visible window of process $1 exists; prints its id.
wait_for_window() {
    local pid="$1" id=""
    for _ in $(seq 300); do
        id=$(xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -n1 || true)
        [ -n "$id" ] && { echo "$id"; return 0; }
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# Installs cargo-deb (builds the Debian package) when it is missing, with
# its own lock file and build folder, so it never waits on the workspace's.
CARGO_DEB_VERSION="${CARGO_DEB_VERSION:-3.8.0}"
ensure_cargo_deb() {
    cargo deb --version >/dev/null 2>&1 && return 0
    echo "tongban: installing cargo-deb $CARGO_DEB_VERSION" >&2
    CARGO_TARGET_DIR=/var/tmp/cargo-deb-build \
        cargo install --locked --quiet cargo-deb --version "$CARGO_DEB_VERSION"
}

# Writes the sample fleet key (published, fictional; the demo pins its
# public half) to FILE, mode 0600, as `kioskctl config sign --key` reads
# it: the base64 of its 32-byte seed, the SHA-256 of its phrase.
write_sample_fleet_key() { # FILE
    local seed_hex
    seed_hex=$(printf '%s' 'tongban reference fleet sample key; not for production' | sha256sum | cut -c1-64)
    # shellcheck disable=SC2059
    printf "$(echo "$seed_hex" | sed 's/../\\x&/g')" | base64 >"$1"
    chmod 600 "$1"
}
