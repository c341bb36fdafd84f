#!/usr/bin/env bash
# Scrape benchmark: haul-scrape against Scrapy (Debian python3-scrapy) on the
# same N static JSON pages served by nginx on 127.0.0.1, in one run, with the
# same concurrency and no delay. Both fetch every page, parse it and write its
# records (haul: one raw file per page, atomically; Scrapy: one JSON-lines
# feed). robots.txt off for both, no retries needed (nginx answers 200).
#
#   bench/scrape.sh [N]            N pages, default 5000
#
# Environment:
#   CONCURRENCY=16        requests in flight, both contenders
#   RECORDS=20            records per page
#   HAUL_BUILD_DIR=build  CMake build dir
#   REPEAT=1              runs per contender; the fastest counts
#   RATE=10 RATE_SECONDS=60   then a rate-limit run: one source limited to RATE
#                         requests/s for about RATE_SECONDS s; the achieved rate
#                         is measured from nginx's access log ($msec), target ±5 %
#                         (RATE_SECONDS=0 skips it)
#
# Prints pages/s, wall and CPU seconds, CPU ms per page, and the ratio
# haul/Scrapy against the target (>= 2x). Exits 0 when both ran.
set -euo pipefail

N=${1:-5000}
CONCURRENCY=${CONCURRENCY:-16}
RECORDS=${RECORDS:-20}
REPEAT=${REPEAT:-1}
RATE=${RATE:-10}
RATE_SECONDS=${RATE_SECONDS:-60}
[[ $N =~ ^[1-9][0-9]*$ && $CONCURRENCY =~ ^[1-9][0-9]*$ && $RECORDS =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: bench/scrape.sh [N]   (N, CONCURRENCY, RECORDS positive numbers)" >&2; exit 64; }
TARGET=2

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/bench/work/scrape
BUILD=${HAUL_BUILD_DIR:-$ROOT/build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
say() { echo "$@" >&2; }

"$ROOT/scripts/setup" --bench >&2
for tool in nginx /usr/bin/scrapy /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { say "missing: $tool"; exit 69; }
done
cmake --build "$BUILD" --target haul-scrape >&2

rm -rf "$WORK"
mkdir -p "$WORK/www/p" "$WORK/nginx" "$WORK/config"
say "== generating $N pages of $RECORDS records"
python3 - "$WORK/www/p" "$N" "$RECORDS" <<'PY'
import json, sys
out, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
makes = ["Ford", "Honda", "Toyota", "BMW", "Chevrolet", "Porsche"]
for page in range(1, n + 1):
    items = []
    for i in range(per):
        k = page * per + i
        items.append({"id": k, "brand": makes[k % 6], "model": "M%d" % (k % 97),
                      "year": 1960 + k % 60, "list_price": "$%d" % (5000 + k % 90000),
                      "mileage": "%d Miles" % (k * 7 % 200000),
                      "link": "https://dealer.example/cars/%d" % k})
    with open("%s/%d.json" % (out, page), "w") as f:
        json.dump({"page": page, "items": items}, f)
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 100000;
  default_type application/json;
  log_format arrival '\$msec';
  server {
    listen 127.0.0.1:$port;
    root $WORK/www;
    location /rated/ {
      alias $WORK/www/p/;
      access_log $WORK/nginx/rated.log arrival;
    }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/p/1.json" >/dev/null 2>&1 && break
  sleep 0.1
done

cat >"$WORK/config/sources.json" <<JSON
{"scrape": {"contact": "bench@localhost", "concurrency": $CONCURRENCY},
 "sources": [{"name": "bench", "type": "vehicles",
   "url": "http://127.0.0.1:$port/p/{page}.json", "records": "/items",
   "pagination": {"type": "page", "first": 1, "max_pages": $N},
   "politeness": {"concurrency": $CONCURRENCY, "host_concurrency": $CONCURRENCY, "robots": false},
   "mapping": {"rename": {"brand": "make", "list_price": "price"}}}]}
JSON

cat >"$WORK/spider.py" <<PY
import json
import scrapy

class Pages(scrapy.Spider):
    name = "pages"
    def start_requests(self):
        for page in range(1, $N + 1):
            yield scrapy.Request("http://127.0.0.1:$port/p/%d.json" % page, callback=self.parse)
    def parse(self, response):
        for item in json.loads(response.body)["items"]:
            item["make"] = item.pop("brand")
            item["price"] = item.pop("list_price")
            yield item
PY

# Runs a command REPEAT times; prints "wall user sys" of the fastest run.
measure() {
  local best=""
  for _ in $(seq "$REPEAT"); do
    "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
    local line
    line=$(tail -n1 "$WORK/last.err")
    if [[ -z $best ]] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$line; fi
  done
  echo "$best"
}

say "== haul-scrape: $N pages, concurrency $CONCURRENCY"
haul_run() {
  rm -rf "$WORK/data"
  /usr/bin/time -f "%e %U %S" "$BUILD/haul-scrape" --config "$WORK/config" --data-dir "$WORK/data" \
    --date 2026-01-15 -q
}
haul=$(measure haul_run)
haul_records=$(jq -r '.sources.bench.records' "$WORK/data/raw/2026-01-15/vehicles/meta.json")
haul_pages=$(jq -r '.sources.bench.pages' "$WORK/data/raw/2026-01-15/vehicles/meta.json")

say "== Scrapy $(/usr/bin/scrapy version 2>/dev/null): $N pages, concurrency $CONCURRENCY"
scrapy_run() {
  rm -f "$WORK/items.jsonl"
  (cd "$WORK" && /usr/bin/time -f "%e %U %S" /usr/bin/scrapy runspider spider.py -o items.jsonl:jsonlines \
    -s CONCURRENT_REQUESTS="$CONCURRENCY" -s CONCURRENT_REQUESTS_PER_DOMAIN="$CONCURRENCY" \
    -s DOWNLOAD_DELAY=0 -s ROBOTSTXT_OBEY=False -s LOG_LEVEL=INFO -s TELNETCONSOLE_ENABLED=False)
}
scrapy=$(measure scrapy_run)
scrapy_records=$(wc -l <"$WORK/items.jsonl")
# Scrapy's own crawl time (its stats), i.e. without its start-up.
scrapy_crawl=$(sed -n "s/.*'elapsed_time_seconds': \([0-9.]*\).*/\1/p" "$WORK/last.err" | tail -n1)

report() {  # name wall user sys pages records
  awk -v name="$1" -v wall="$2" -v user="$3" -v sys="$4" -v pages="$5" -v records="$6" 'BEGIN {
    printf "%-12s %7d pages %8d records %7.2f s wall %7.2f s CPU %9.1f pages/s %6.3f CPU ms/page\n",
      name, pages, records, wall, user + sys, pages / wall, 1000 * (user + sys) / pages }'
}
read -r hw hu hs <<<"$haul"
read -r sw su ss <<<"$scrapy"
echo
report haul-scrape "$hw" "$hu" "$hs" "$haul_pages" "$haul_records"
report scrapy "$sw" "$su" "$ss" "$N" "$scrapy_records"
awk -v hw="$hw" -v sw="$sw" -v hc="$(awk -v a="$hu" -v b="$hs" 'BEGIN{print a+b}')" \
  -v sc="$(awk -v a="$su" -v b="$ss" 'BEGIN{print a+b}')" -v target="$TARGET" 'BEGIN {
  ratio = sw / hw
  printf "ratio        haul-scrape pages/s = %.2f x Scrapy (target >= %d x: %s); CPU per page %.2f x less\n",
    ratio, target, (ratio >= target ? "met" : "MISSED"), sc / hc }'
[[ -n $scrapy_crawl ]] && awk -v n="$N" -v t="$scrapy_crawl" -v hw="$(cut -d' ' -f1 <<<"$haul")" 'BEGIN {
  printf "scrapy crawl %7.2f s by its own stats (without start-up): %.1f pages/s; haul-scrape wall = %.2f x faster\n",
    t, n / t, t / hw }'
[[ $haul_pages == "$N" && $scrapy_records == $((N * RECORDS)) ]] ||
  say "warning: not every page was fetched (haul $haul_pages pages, Scrapy $scrapy_records records)"

(( RATE_SECONDS > 0 )) || exit 0
pages=$((RATE * RATE_SECONDS + 1))
(( pages <= N )) || pages=$N
say "== rate limit: $pages requests at $RATE requests/s (about $RATE_SECONDS s)"
cat >"$WORK/config/sources.json" <<JSON
{"scrape": {"contact": "bench@localhost", "concurrency": $CONCURRENCY},
 "sources": [{"name": "rated", "type": "vehicles",
   "url": "http://127.0.0.1:$port/rated/{page}.json", "records": "/items", "conditional": false,
   "pagination": {"type": "page", "first": 1, "max_pages": $pages},
   "politeness": {"concurrency": 4, "host_concurrency": 4, "robots": false,
                  "requests_per_second": $RATE}}]}
JSON
rm -rf "$WORK/data"
: >"$WORK/nginx/rated.log"
"$BUILD/haul-scrape" --config "$WORK/config" --data-dir "$WORK/data" --date 2026-01-15 -q
awk -v rate="$RATE" 'NR == 1 { first = $1 } { last = $1; n++ } END {
  achieved = (n - 1) / (last - first)
  deviation = 100 * (achieved - rate) / rate
  printf "rate limit   %d requests in %.2f s: %.3f requests/s for a limit of %s (%+.2f %%; target within 5 %%: %s)\n",
    n, last - first, achieved, rate, deviation, (deviation <= 5 && deviation >= -5 ? "met" : "MISSED") }' \
  "$WORK/nginx/rated.log"
