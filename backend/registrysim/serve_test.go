package registrysim

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBaseURLs(t *testing.T) {
	tests := []struct {
		addr           string
		local, federal string
	}{
		{"127.0.0.1:8765", "http://127.0.0.1:8765/fhir", "http://127.0.0.1:8765/federal/fhir"},
		{"0.0.0.0:8765", "http://127.0.0.1:8765/fhir", "http://127.0.0.1:8765/federal/fhir"},
		{"[::]:8765", "http://127.0.0.1:8765/fhir", "http://127.0.0.1:8765/federal/fhir"},
		{"[::1]:9000", "http://[::1]:9000/fhir", "http://[::1]:9000/federal/fhir"},
	}
	for _, tt := range tests {
		addr, err := net.ResolveTCPAddr("tcp", tt.addr)
		if err != nil {
			t.Fatal(err)
		}
		if l, f := BaseURLs(addr); l != tt.local || f != tt.federal {
			t.Errorf("BaseURLs(%s) = %s, %s; want %s, %s", tt.addr, l, f, tt.local, tt.federal)
		}
	}
}

func TestStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	run, err := Start(context.Background(), path, testStart)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	c := testClient()
	for _, base := range []string{run.LocalURL, run.FederalURL} {
		if !strings.HasPrefix(base, "http://127.0.0.1:") {
			t.Errorf("base URL %q is not on loopback", base)
		}
		if status, _, err := fetch(c, base+"/metadata"); err != nil || status != 200 {
			t.Errorf("GET %s/metadata = %d, %v; want 200", base, status, err)
		}
	}
	if status, _, err := fetch(c, run.AdminURL); err != nil || status != 200 {
		t.Errorf("GET %s = %d, %v; want 200", run.AdminURL, status, err)
	}
	if got := run.Registry.SeedTime(); !got.Equal(testStart) {
		t.Errorf("SeedTime() = %v, want %v", got, testStart)
	}
	if err := run.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if err := run.Close(); err != nil {
		t.Errorf("second Close() = %v", err)
	}
	if _, _, err := fetch(c, run.LocalURL+"/metadata"); err == nil {
		t.Errorf("the registry still answers after Close")
	}
}

func TestStartStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	run, err := Start(ctx, filepath.Join(t.TempDir(), FileName), testStart)
	if err != nil {
		t.Fatal(err)
	}
	// A request held by a long latency fault must not keep the server up.
	run.Registry.SetFaults(Local, Faults{Latency: time.Minute})
	go fetch(testClient(), run.LocalURL+"/metadata")
	time.Sleep(50 * time.Millisecond) // let the request arrive; the test holds either way
	began := time.Now()
	cancel()
	closed := make(chan error, 1)
	go func() { closed <- run.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close after cancel = %v", err)
		}
	case <-time.After(30 * time.Second): // well short of the held request's minute
		t.Fatalf("the registry did not stop within %v of its context's end", time.Since(began))
	}
}

func TestStartReportsABadPath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// A folder cannot be made inside a file.
	if run, err := Start(context.Background(), filepath.Join(file, FileName), testStart); err == nil {
		run.Close()
		t.Fatal("Start under a plain file succeeded")
	}
}

// Example starts the demo registry in the process and finds a person by SNILS, written
// with its separators as a person types it.
func Example() {
	dir, err := os.MkdirTemp("", "registrysim-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	run, err := Start(context.Background(), Path(dir), time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer run.Close()

	resp, err := testClient().Get(run.LocalURL + "/Patient?identifier=urn:ru:snils%7C112-233-445%2095")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var b struct {
		Total int
		Entry []struct {
			Resource struct {
				ID   string
				Name []struct {
					Family string
					Given  []string
				}
			}
		}
	}
	json.NewDecoder(resp.Body).Decode(&b)
	pt := b.Entry[0].Resource
	fmt.Println(resp.Header.Get("Content-Type"), b.Total, pt.ID, pt.Name[0].Given[0], pt.Name[0].Family)
	// Output: application/fhir+json 1 ru-2001 Иван Петров
}
