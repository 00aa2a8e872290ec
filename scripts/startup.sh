#!/usr/bin/env bash
# Median wall time of `b24 --help` and of one method's --help over N runs, in milliseconds.
set -euo pipefail
bin=${1:-bin/b24}
runs=${2:-50}
median() {
	local -a t=()
	for _ in $(seq "$runs"); do
		local s e
		s=$(date +%s%N)
		"$@" >/dev/null
		e=$(date +%s%N)
		t+=($(( (e - s) / 1000 )))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk -v n="$runs" '{a[NR]=$1} END {m = (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2; printf "%.1f ms", m / 1000}'
}
echo "$bin --help: $(median "$bin" --help) (median of $runs)"
echo "$bin im.dialog.unread --help: $(median "$bin" im.dialog.unread --help) (median of $runs)"
echo "$bin crm.deal.add --help: $(median "$bin" crm.deal.add --help) (median of $runs)"
echo "$bin bitrix24 MarkMessageAsUnreaded --help: $(median "$bin" bitrix24 MarkMessageAsUnreaded --help) (median of $runs)"
