package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"certkiosk/backend/printing"
	"certkiosk/backend/registrysim"
)

// BenchmarkEnqueue measures a durable Add: from the call to the transaction on disk
// (WAL, synchronous=FULL), with the request's data sealed. It reports the median and
// the 99th percentile.
func BenchmarkEnqueue(b *testing.B) {
	ctx := context.Background()
	q, err := Open(ctx, filepath.Join(b.TempDir(), FileName), Options{Keys: testKey()})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	people := registrysim.People()
	var lat []time.Duration
	i := 0
	for b.Loop() {
		p := people[i%len(people)]
		t0 := time.Now()
		if _, _, err := q.Add(ctx, Request{Key: "B" + strconv.Itoa(i), Profile: p.Profile, Subject: identifier(p)}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// drainJobs is how many issue jobs BenchmarkDrain queues: 10,000, or
// CERTKIOSK_DRAIN_JOBS.
func drainJobs(b *testing.B) int {
	if s := os.Getenv("CERTKIOSK_DRAIN_JOBS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("CERTKIOSK_DRAIN_JOBS=%q, want a number", s)
		}
		return n
	}
	return 10000
}

// BenchmarkDrain queues 10,000 issue jobs for the demo people and measures how fast
// a worker drains them: each looked up in the in-process demo registry, decided,
// signed, rendered, and printed on the folder printer. One op is the whole drain, so
// b.N stays small; it reports requests and documents per second.
func BenchmarkDrain(b *testing.B) {
	n := drainJobs(b)
	people := registrysim.People()
	_, records := startRegistry(b)
	services := newTestServices(b)
	var requests, documents float64
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		ctx := context.Background()
		q, err := Open(ctx, filepath.Join(dir, FileName), Options{Keys: testKey()})
		if err != nil {
			b.Fatal(err)
		}
		reqs := make([]Request, n)
		for i := range reqs {
			p := people[i%len(people)]
			reqs[i] = Request{Key: fmt.Sprintf("D%05d", i), Profile: p.Profile, Subject: identifier(p)}
		}
		addBatch(b, q, reqs)
		folder, err := printing.NewFolder(filepath.Join(dir, "printed"), printing.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w := &Worker{
			Queue: q, Services: services, Records: records,
			Printers:    func(string) (printing.Printer, error) { return folder, nil },
			Concurrency: 2,
		}
		b.StartTimer()
		t0 := time.Now()
		if err := w.RunUntilEmpty(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(t0)
		b.StopTimer()
		files, _ := os.ReadDir(folder.Dir())
		requests += float64(n)
		documents += float64(len(files))
		q.Close()
		b.StartTimer()
	}
	b.ReportMetric(requests/elapsed.Seconds(), "requests/s")
	b.ReportMetric(documents/elapsed.Seconds(), "documents/s")
}

// addBatch adds requests 500 to a transaction: the benchmark's set-up, not what it
// measures.
func addBatch(b testing.TB, q *Queue, reqs []Request) {
	b.Helper()
	ctx := context.Background()
	for start := 0; start < len(reqs); start += 500 {
		err := q.write(ctx, func(tx *sql.Tx) error {
			for _, r := range reqs[start:min(start+500, len(reqs))] {
				id, err := normalise(r.Subject)
				if err != nil {
					return err
				}
				plain, err := json.Marshal(requestData{System: id.System, Value: id.Value})
				if err != nil {
					return err
				}
				if _, _, err := q.addTx(ctx, tx, r, q.subjectHash(id), plain, nanos(q.now())); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
