package audit

import (
	"bytes"
	"testing"
)

// BenchmarkAppend measures an append as the kiosk does it: the line written and
// synced, the head file replaced and its folder synced.
func BenchmarkAppend(b *testing.B) {
	l := openTest(b, b.TempDir(), newClock())
	defer l.Close()
	ev := event(2) // an issued certificate: subject and two details
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Append(ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures verifying a log of a thousand entries.
func BenchmarkVerify(b *testing.B) {
	dir, _ := writeLog(b, 1000)
	data := readLog(b, dir)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Verify(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
