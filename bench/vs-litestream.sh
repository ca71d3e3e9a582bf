# Sourced by the benchmarks that measure ours against Litestream 0.3.13 (set root first): the test tools installed, a
# Release build, both binaries in bins[] (order: the baseline first; ours-native too when NATIVE names a native build), a scratch folder $work removed on exit, and
# `median [decimals]` of the numbers on stdin, one per line.
"$root/scripts/install-test-tools.sh" >/dev/null
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
declare -A bins=(
  [ours]="$root/src/Cli/bin/Release/litestream"
  [litestream-0.3.13]="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
)
order=(litestream-0.3.13 ours)
# A native build of ours beside it (bench/native-build.sh), when asked for.
if [ -n "${NATIVE:-}" ]; then bins[ours-native]="$NATIVE"; order+=(ours-native); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk -v d="${1:-2}" '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf("%." d "f", m)}'; }
