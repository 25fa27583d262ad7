# shellcheck shell=bash
# Sourced by scripts/xarch-audit: a private apt configuration per Debian
# architecture (its own sources, lists, cache and empty dpkg status), so that
# kernel packages of another architecture are fetched and unpacked without
# touching the host's apt state or installing anything.
#
# Needs: XARCH_CACHE (the cache directory, kept between runs).

# The suites searched for kernels: Debian 12 and its backports, 13, unstable
# (XARCH_SUITES overrides, space separated: the CTest reads only sid).
read -r -a xarch_suites <<<"${XARCH_SUITES:-bookworm bookworm-backports trixie sid}"

# The Debian mirror the host's own apt uses (no mirror named here).
xarch_mirror() {
  local uri
  uri=$(grep -rhoE '^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)[a-z]+://[^[:space:]]+/debian/?([[:space:]]|$)' \
          /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -oE '[a-z]+://[^[:space:]]+' | head -n1)
  [ -n "$uri" ] || { echo "xarch: no Debian mirror in the host's apt sources" >&2; return 1; }
  echo "${uri%/}"
}

# apt-get/apt-cache with ARCH's private configuration: xarch_apt ARCH apt-get ARGS...
xarch_apt() {
  local arch=$1 tool=$2
  shift 2
  local dir="$XARCH_CACHE/apt/$arch"
  "$tool" -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
    -o Dir::State="$dir/state" -o Dir::State::Lists="$dir/lists" -o Dir::State::status="$dir/status" \
    -o Dir::Cache="$dir/cache" -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
    -o Acquire::Languages=none -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

# Creates ARCH's configuration and refreshes its lists when they are older
# than a day (or missing).
xarch_apt_update() {
  local arch=$1
  local dir="$XARCH_CACHE/apt/$arch"
  mkdir -p "$dir/state" "$dir/lists/partial" "$dir/cache/archives/partial"
  touch "$dir/status"
  if [ ! -s "$dir/sources.list" ]; then
    local mirror suite
    mirror=$(xarch_mirror) || return 1
    : >"$dir/sources.list"
    for suite in "${xarch_suites[@]}"; do
      echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >>"$dir/sources.list"
    done
  fi
  # The stamp marks a complete refresh, so a partly failed one is retried next run.
  if [ -z "$(find "$dir/updated" -mmin -1440 2>/dev/null)" ]; then
    echo "xarch: refreshing the $arch package lists" >&2
    # A suite lacking the architecture (riscv64 in bookworm) only warns; an
    # index caught mid-sync on the mirror fails one suite: retry once, then
    # go on with the suites that were read.
    if xarch_apt "$arch" apt-get update >"$dir/update.log" 2>&1 ||
       xarch_apt "$arch" apt-get update >"$dir/update.log" 2>&1; then
      touch "$dir/updated"
    else  # tried again in an hour
      touch -d '-23 hours' "$dir/updated"
      echo "xarch: some $arch package lists could not be read (see $dir/update.log); using the others:" >&2
      grep '^E: Failed' "$dir/update.log" | cut -c1-160 >&2
    fi
  fi
  [ -n "$(find "$dir/lists" -maxdepth 1 -name '*Packages*' | head -n1)" ] || return 1
}

# "SUITE ABI-PACKAGE VERSION" for each suite whose linux-image-ARCH metapackage
# exists: the kernel package it depends on.
xarch_kernels() {
  local arch=$1 suite
  local flavour=$arch
  [ "$arch" = ppc64el ] && flavour=powerpc64le  # Debian's kernel flavour name
  for suite in "${xarch_suites[@]}"; do
    local record
    record=$(xarch_apt "$arch" apt-cache show "linux-image-$flavour/$suite" 2>/dev/null | awk '/^$/{exit} {print}')
    [ -n "$record" ] || continue
    local depends
    depends=$(sed -n 's/^Depends: //p' <<<"$record" | tr ',' '\n' | grep -oE 'linux-image-[0-9][^ ]*' | head -n1)
    [ -n "$depends" ] || continue
    local version
    version=$(xarch_apt "$arch" apt-cache show "$depends/$suite" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
    echo "$suite $depends $version"
  done
}

# Fetches (once) the kernel image of package PKG from SUITE for ARCH and
# prints its path: the package, or the linux-binary-* package it depends on
# (newer kernels), is downloaded and only its vmlinuz/vmlinux extracted.
xarch_kernel_image() {
  local arch=$1 suite=$2 pkg=$3
  local dest="$XARCH_CACHE/kernels/$arch/$pkg"
  local found
  found=$(find "$dest" -type f -name 'vmlinu[xz]*' 2>/dev/null | head -n1)
  if [ -n "$found" ]; then echo "$found"; return 0; fi
  local binary
  binary=$(xarch_apt "$arch" apt-cache show "$pkg/$suite" 2>/dev/null | sed -n 's/^Depends: //p' | head -n1 |
           tr ',' '\n' | grep -oE 'linux-binary-[^ ]+' | head -n1)
  [ -n "$binary" ] && pkg=$binary
  local work="$XARCH_CACHE/download/$arch"
  rm -rf "$work" && mkdir -p "$work" "$dest"
  echo "xarch: downloading $pkg ($suite, $arch)" >&2
  (cd "$work" && xarch_apt "$arch" apt-get download "$pkg/$suite" >&2) || return 1
  dpkg-deb --fsys-tarfile "$work"/*.deb | tar -x -C "$dest" --wildcards '*vmlinu[xz]*' || return 1
  rm -rf "$work"
  found=$(find "$dest" -type f -name 'vmlinu[xz]*' | head -n1)
  [ -n "$found" ] || { echo "xarch: $pkg has no kernel image" >&2; return 1; }
  echo "$found"
}
