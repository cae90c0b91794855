# Prints the README's performance table from a results file: python3 bench/results/table.py bench/results/latest.json
import json,sys
d=json.load(open(sys.argv[1])); m=d['machine']; r=d['results']
def f(x): return format(round(x),',')
def jvm(j): return '%s GC, heap up to %s' % ('G1' if j['UseG1GC']=='true' else 'Serial' if j['UseSerialGC']=='true' else 'Parallel', j['MaxHeapSize'])
rows=[]
def row(name, what, target, baseline_desc):
    if name not in r: return
    for k in ('events','products','streamClients','deliveries','offeredPerSecond','singlePerSecond','batchPerSecond'):
        if k in r[name]: what=what.replace('<%s>' % k, f(r[name][k]))
    v=r[name]
    if name in ('search_p95_ms','suggest_p95_ms'):
        rows.append('| `%s`: %s | %.1f ms (p50 %.1f ms, p99 %.1f ms; %s requests/s) | %.1f ms (p50 %.1f ms, p99 %.1f ms; %s requests/s) | **%.2f×** | %s | %s |' % (name, what, v['ordo'], v['p50Ms'], v['p99Ms'], f(v['perSecond']), v['baseline'], v['baselineP50Ms'], v['baselineP99Ms'], f(v['baselinePerSecond']), v['ratio'], target, baseline_desc))
    elif name=='search_visible_p99_ms':
        rows.append('| `%s`: %s | %.0f ms (p50 %.0f ms) | %.0f ms (p50 %.0f ms) | **%.2f×** | %s | %s |' % (name, what, v['ordo'], v['p50Ms'], v['baseline'], v['baselineP50Ms'], v['ratio'], target, baseline_desc))
    elif name=='search_relevance':
        rows.append('| `%s`: %s | %.3f (recall %.3f) | %.3f (recall %.3f) | **%.2f×** | %s | %s |' % (name, what, v['ordo'], v['recall'], v['baseline'], v['baselineRecall'], v['ratio'], target, baseline_desc))
    elif name=='start_healthy_s':
        rows.append('| `%s`: %s | %.1f s (first start, initdb: %.1f s) | %.1f s (first start %.1f s) | **%.2f×** | %s | %s |' % (name, what, v['ordo'], v['firstStartS'], v['baseline'], v['baselineFirstStartS'], v['ratio'], target, '%s (%s)' % (baseline_desc, jvm(v['baselineJvm']))))
    elif name in ('rss_idle_mib','rss_load_mib'):
        extra,base_extra=('','')
        if name=='rss_load_mib': extra,base_extra='; %s requests/s' % f(v['perSecond']),'; %s requests/s' % f(v['baselinePerSecond'])
        rows.append('| `%s`: %s | %s MiB (JVM RSS %s, PostgreSQL %s%s) | %s MiB (JVM RSS %s, PostgreSQL %s%s) | **%.2f×** | %s | %s |' % (name, what, f(v['ordo']), f(v['jvmRssMib']), f(v['postgresMib']), extra, f(v['baseline']), f(v['baselineJvmRssMib']), f(v['baselinePostgresMib']), base_extra, v['ratio'], target, '%s (%s)' % (baseline_desc, jvm(v['baselineJvm']))))
    elif v.get('baseline') is not None and 'JMH' in v['unit']:
        rows.append('| `%s`: %s | %.0f ± %.0f ns | %.0f ns | **%.2f×** | %s | %s |' % (name, what, v['ordo'], v.get('error',0), v['baseline'], v['ratio'], target, baseline_desc))
    elif v.get('baseline') is not None:
        extra,base_extra=('',' ')
        if 'baselineP99Ms' in v: extra,base_extra=' (p99 %.1f ms)' % v['p99Ms'],' (p99 %.1f ms) ' % v['baselineP99Ms']
        if name=='kafka_lag_p99_ms': extra=' (p50 %.0f ms)' % v['p50Ms']
        rows.append('| `%s`: %s | %s %s%s | %s %s%s| **%.2f×** | %s | %s |' % (name, what, f(v['ordo']), v['unit'], extra, f(v['baseline']), v['unit'], base_extra, v['ratio'], target, baseline_desc))
    else:
        extra=''
        if 'p99Ms' in v: extra=' (p50 %.1f ms, p99 %.1f ms)' % (v['p50Ms'], v['p99Ms'])
        if name.startswith('lag_p99_ms'): extra=' (p50 %.0f ms)' % v['p50Ms']
        if name=='order_flow_http':
            extra=' (p50 %.1f ms, p99 %.1f ms; meanwhile %s reserved/s, %s not reserved at the end: %s)' % (v['p50Ms'], v['p99Ms'], f(v['reservedPerSecond']), '–'.join(sorted({f(min(v['notReservedAtLoadEnd'])), f(max(v['notReservedAtLoadEnd']))})), 'every order reserved' if v['everyOrderReserved'] else 'the process falls behind')
        if name=='order_reserved_p99_ms':
            extra=' (p50 %.0f ms%s)' % (v['p50Ms'], '' if v['everyOrderReserved'] else '; orders left unreserved: lower bound')
        unit=v['unit'] if 'JMH' not in v['unit'] else 'µs per load'
        val=f(v['ordo']) if 'JMH' not in v['unit'] else '%.0f ± %.0f' % (v['ordo'], v.get('error',0))
        if name=='append_single_vs_batch': val,unit='%.2f' % v['ordo'],'of the batch rate'
        rows.append('| `%s`: %s | %s %s%s | — | — | %s | %s |' % (name, what, val, unit, extra, target, baseline_desc))
row('append_single','32 writers, 1 event per append, each writer on its own streams','≥ 1.5×','raw JDBC, one `INSERT` per transaction per writer (autocommit), same table shape')
row('append_batch','8 writers, 100 events per append','≥ 0.7×','raw JDBC, one 100-row `INSERT … VALUES` per transaction per writer')
row('append_single_vs_batch','`append_single`\'s events/s as a fraction of `append_batch`\'s (<singlePerSecond> against <batchPerSecond>): how close one-event appends come to the rows per second this PostgreSQL takes','≥ 0.5','none (1.0 would be single events as fast as 100-event batches)')
row('axon_append','32 writers, 1 event per append','≥ 3×','Axon Framework 4.13 `JdbcEventStorageEngine` (PostgresEventTableFactory, JacksonSerializer, HikariCP), one event per append, same writers')
row('command_http','`POST /products/{id}/stock-adjustments` on 1,000 products, 64 clients','≥ 5,000/s, p99 < 50 ms','none (seed 000 asks 1,000 TPS)')
row('command_register_http','`POST /products`, a new name each, 64 clients','—','none')
row('command_http_streams','`command_http` with <streamClients> clients of `GET /products/stream` connected (SSE, each sent every event)','—','the same load with no stream client connected')
row('command_http_streams_product','`command_http` with <streamClients> clients of `GET /products/stream?productId={id}` connected (SSE, each watching one of the adjusted products)','—','the same load with no stream client connected')
row('lag_p99_ms','command-to-visible in `product_read`, p99, stock adjustments arriving at a steady 2,500/s (open loop)','≤ 50 ms','none (seed 000 asks < 500 ms on average)')
row('lag_p99_ms_saturated','the same during `command_http` (64 clients, closed loop, CPU saturated)','—','none')
row('query_http','`GET /products/{id}` on 1,000 products, 64 clients','≥ 10,000/s','none (seed 000 asks 10,000 TPS of a deployment)')
row('order_flow_http','`POST /orders`, 1–3 items among 1,000 products, 64 clients; then the fulfilment process reserves them','≥ 1,000 orders/s','none (seed 000 §8.1 asks commands p95 < 200 ms at 1,000/s)')
row('order_reserved_p99_ms','placed-to-reserved through the fulfilment process (two hops: catalog reserves, ordering confirms), p99, orders arriving at a steady <offeredPerSecond>/s (open loop)','—','none')
row('delivery_location_http','`POST /deliveries/{id}/location` on <deliveries> deliveries in progress, 64 clients','≥ 5,000/s','`command_http`\'s stock adjustments on the same app, alternating')
row('kafka_relay','the relay publishing a log of <events> events from its start (CloudEvents binary, acks=all, checkpoint after the acknowledgements)','—','a raw `KafkaProducer` sending the same records from memory (default idempotent settings, 5 in flight), one flush at the end')
row('kafka_lag_p99_ms','command-to-visible through Kafka (relay, broker, replica, `product_read` in a second app), p99, stock adjustments at a steady <offeredPerSecond>/s','lower is better','the same events\' lag to the writing app\'s own `product_read`, measured at the same time')
row('search_p95_ms','`GET /products/search?q=` (the judged corpus\'s 64 queries in turn, size 20) over <products> products, 8 clients, p95','≤ 50 ms','the same load on the PostgreSQL search (the index stopped: what the app falls back on)')
row('suggest_p95_ms','`GET /products/suggest?q=` (the first 1–3 letters of the corpus\'s queries in turn) over <products> products, 8 clients, p95','≤ 30 ms','the same load on the PostgreSQL suggestions (the index stopped)')
row('search_visible_p99_ms','command-to-searchable: `PATCH /products/{id}` with a new tag to a search for it finding the product, p99, <offeredPerSecond> changes/s (open loop) over <products> products','lower is better','every other change of the same load, to `GET /products/{id}` (`product_read`) showing the tag')
row('search_relevance','Precision@10 over the judged corpus alone (375 products, 64 queries: particles, compounds, spacing, synonyms, typos, brands, categories)','> 0.9','the PostgreSQL search on the same app and data')
row('search_rebuild','`product_search` rebuilt beside the serving index, over a log of <events> events (<products> products), until the new generation serves','—','`product_read` rebuilt over the same log until its new generation is active')
row('import','a legacy catalog of <products> products (seed 000 §6.1: stores, a category tree, images, tags, reviews, some hidden and deleted; <events> events) imported through `POST /api/v1/imports`','—','the same event rows written with raw JDBC, 1,000-row inserts per transaction, 2 writers')
row('axon_replay','<events> events from the start to a no-op handler, batches of 1,000','≥ 5×','Axon 4.13 `TrackingEventProcessor` (single thread, batch 1,000, in-memory token store) on `JdbcEventStorageEngine` (batchSize 1,000), same events')
row('rebuild','`product_read` from position 0 over <events> events (<products> products × 100)','≥ 0.5× (aim ≥ 50,000/s)','raw JDBC into a table of `product_read`\'s shape: the same row changes, batches of 500 per transaction')
row('command_http_scaling','`command_http`\'s stock adjustments from 256 closed-loop clients (curve below: 1, 8, 64, 256)','—','the same load from 1 client')
row('rebuild_scaling','`rebuild` over the longest log (the curve below: 10⁵ and 10⁶ events, and 10⁷ in the full run)','≈ 1× (linear cost)','the same rebuild over 10⁵ events')
row('query_http_instances','`query_http` with its 64 clients split between two app instances on one PostgreSQL','—','the same 64 clients on one instance')
row('start_healthy_s','`java -jar app/target/ordo-app.jar` (the image\'s JVM flags) to `/actuator/health` UP on an existing data directory (embedded PostgreSQL, products seeded)','lower is better','the same jar with no JVM flags: the JVM\'s ergonomic defaults on this machine')
row('rss_idle_mib','the app\'s memory idle: PSS of the JVM and its embedded PostgreSQL\'s processes, summed, after healthy','lower is better','the same jar with no JVM flags')
row('rss_load_mib','the peak of the same during `command_http`\'s load on the app (64 clients, <products> products), sampled every 500 ms','≤ 1 GiB (1,024 MiB)','the same jar with no JVM flags')
row('fold_100_events','decode (one upcast) and fold a 100-event product stream, JMH','< 1,000 µs','none (seed 000 asks < 100 ms)')
row('codec_encode','encode a `ProductRegistered` (type binding, UUIDv7 id, JSON), JMH','lower is better','Jackson `writeValueAsString` of the same record')
row('codec_decode','decode a current (v2) `ProductRegistered` row, JMH','lower is better','Jackson `readValue` of the same JSON')
row('codec_upcast','decode a v1 `ProductRegistered` row (upcast to v2, then decode), JMH','lower is better','decoding the v2 row')
print('Latest full run: %s, %d cores (%s, shared and noisy), %d GiB, %s, %s running the Java 21 build, PostgreSQL %s.' % (m['date'][:10], m['cpus'], m['cpuModel'], m['memoryGiB'], m['os'], m['java'], m['postgres']))
print()
print('| benchmark | Ordo | baseline | ratio | target | the baseline |')
print('|---|---|---|---|---|---|')
for x in rows: print(x)
print()
curves=[]
if 'command_http_scaling' in r:
    curves.append(['`command_http_scaling`: stock adjustments, closed loop', '| clients | requests/s | p50 | p99 | command-to-visible p50 | p99 |', '|---|---|---|---|---|---|']
        + ['| %d | %s | %.1f ms | %.1f ms | %.0f ms | %.0f ms |' % (p['clients'], f(p['perSecond']), p['p50Ms'], p['p99Ms'], p['lagP50Ms'], p['lagP99Ms']) for p in r['command_http_scaling']['points']])
if 'rebuild_scaling' in r:
    curves.append(['`rebuild_scaling`: `product_read` from position 0', '| events | products | runs | events/s |', '|---|---|---|---|']
        + ['| %s | %s | %d | %s |' % (f(p['events']), f(p['products']), p['runs'], f(p['eventsPerSecond'])) for p in r['rebuild_scaling']['points']])
if 'query_http_instances' in r:
    v=r['query_http_instances']
    curves.append(['`query_http_instances`: `GET /products/{id}`, %d clients, app instances on one PostgreSQL' % v['concurrency'], '| instances | serving | requests/s | per instance | p99 per instance |', '|---|---|---|---|---|']
        + ['| %d | %s | %s | %s | %s |' % (p['instances'], p['serving'], f(p['perSecond']), ' + '.join(f(x) for x in p['perInstancePerSecond']), ', '.join('%.1f ms' % x for x in p['perInstanceP99Ms'])) for p in v['points']])
if curves:
    print('Scaling curves (medians of the runs at each point):')
    for c in curves:
        print()
        print(c[0])
        print()
        for x in c[1:]: print(x)
    print()
spread=[]
for k,v in r.items():
    if len(v.get('ordoRuns',[]))<2: continue
    if k=='append_single_vs_batch':
        spread.append('%s: %.2f–%.2f' % (k, min(v['ordoRuns']), max(v['ordoRuns'])))
    elif v.get('baselineRuns'):
        spread.append('%s: Ordo %s–%s, baseline %s–%s' % (k, f(min(v['ordoRuns'])), f(max(v['ordoRuns'])), f(min(v['baselineRuns'])), f(max(v['baselineRuns']))))
    elif len(v.get('ordoRuns',[]))>1:
        spread.append('%s: %s–%s' % (k, f(min(v['ordoRuns'])), f(max(v['ordoRuns']))))
if spread: print('Spread of the runs behind each median: %s.' % '; '.join(spread))
