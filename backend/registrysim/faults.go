package registrysim

// faults.go: the fault switches each registry endpoint has, for tests of the client's
// timeouts, retries and offline queue; set from Go (SetFaults) or over HTTP
// (/admin/faults) for tests that run the simulator in a child process.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Faults are the failures one registry endpoint simulates. The zero value is a healthy
// registry. The latency applies first; then the first of Down, Drop, Status and
// Garbage that is set decides the answer.
//
// In JSON (the admin endpoint) the fields are named latency, status, drop, garbage,
// down and times; latency is a Go duration ("250ms", "2s") or a number of milliseconds.
type Faults struct {
	// Latency delays every answer, as a slow network or an overloaded server does.
	Latency time.Duration
	// Down resets every connection after its request is read (TCP RST), as the host of
	// a stopped server does: the client sees "connection reset", not an answer.
	Down bool
	// Drop closes the connection after the request is read, without an answer.
	Drop bool
	// Status answers with this HTTP error status (400–599, usually 503) and an
	// OperationOutcome.
	Status int
	// Garbage answers 200 with a FHIR content type and a body that is not JSON, as a
	// captive portal or a broken proxy does.
	Garbage bool
	// Times limits the faults to the next Times requests, after which the registry is
	// healthy again; 0 keeps them until they are changed.
	Times int
}

// maxLatency bounds Latency, so a mistyped switch cannot hang a test run.
const maxLatency = 10 * time.Minute

// garbageBody is what Garbage answers with: a captive portal's page, not JSON, with
// bytes that are not UTF-8 either.
const garbageBody = "<html><head><title>Wi-Fi</title></head><body>Sign in to continue\x00\xff\xfe</body></html>\n"

func (f Faults) validate() error {
	switch {
	case f.Latency < 0 || f.Latency > maxLatency:
		return fmt.Errorf("latency %v is outside 0–%v", f.Latency, maxLatency)
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("status %d is not an HTTP error status (400–599)", f.Status)
	case f.Times < 0:
		return fmt.Errorf("times %d is negative", f.Times)
	}
	return nil
}

// faultsJSON is the JSON form of Faults.
type faultsJSON struct {
	Latency json.RawMessage `json:"latency,omitempty"`
	Status  int             `json:"status,omitempty"`
	Drop    bool            `json:"drop,omitempty"`
	Garbage bool            `json:"garbage,omitempty"`
	Down    bool            `json:"down,omitempty"`
	Times   int             `json:"times,omitempty"`
}

// MarshalJSON writes the faults with latency as a duration string; unset faults are
// left out, so a healthy registry is {}.
func (f Faults) MarshalJSON() ([]byte, error) {
	j := faultsJSON{Status: f.Status, Drop: f.Drop, Garbage: f.Garbage, Down: f.Down, Times: f.Times}
	if f.Latency != 0 {
		j.Latency = json.RawMessage(strconv.Quote(f.Latency.String()))
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the faults; an unknown field is an error, so a misspelt switch
// is not silently ignored.
func (f *Faults) UnmarshalJSON(data []byte) error {
	var j faultsJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	out := Faults{Status: j.Status, Drop: j.Drop, Garbage: j.Garbage, Down: j.Down, Times: j.Times}
	if len(j.Latency) > 0 {
		var s string
		var ms float64
		switch {
		case json.Unmarshal(j.Latency, &s) == nil:
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Errorf("latency: %w", err)
			}
			out.Latency = d
		case json.Unmarshal(j.Latency, &ms) == nil:
			out.Latency = time.Duration(ms * float64(time.Millisecond))
		default:
			return fmt.Errorf("latency: %s is neither a duration nor milliseconds", j.Latency)
		}
	}
	*f = out
	return nil
}

// SetFaults sets the faults of registry reg (Local or Federal), replacing the ones set
// before; the zero Faults heals it. Safe to call while requests are served. It panics
// when reg is neither registry or f is out of range (a negative latency or count, or a
// status that is not an HTTP error).
func (r *Registry) SetFaults(reg string, f Faults) {
	if reg != Local && reg != Federal {
		panic(fmt.Sprintf("registrysim: SetFaults: no registry %q", reg))
	}
	if err := f.validate(); err != nil {
		panic("registrysim: SetFaults: " + err.Error())
	}
	r.faultsMu.Lock()
	defer r.faultsMu.Unlock()
	if f == (Faults{}) {
		delete(r.faults, reg)
		return
	}
	r.faults[reg] = f
}

// faultState returns the faults currently set, by registry.
func (r *Registry) faultState() map[string]Faults {
	r.faultsMu.Lock()
	defer r.faultsMu.Unlock()
	return map[string]Faults{Local: r.faults[Local], Federal: r.faults[Federal]}
}

// takeFaults returns the faults for one request to reg, counting it against Times.
func (r *Registry) takeFaults(reg string) Faults {
	r.faultsMu.Lock()
	defer r.faultsMu.Unlock()
	f, ok := r.faults[reg]
	if !ok || f.Times == 0 {
		return f
	}
	if f.Times == 1 {
		delete(r.faults, reg)
	} else {
		left := f
		left.Times--
		r.faults[reg] = left
	}
	return f
}

// withFaults puts registry reg's fault switches in front of its endpoint.
func (r *Registry) withFaults(reg string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		f := r.takeFaults(reg)
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-req.Context().Done():
				t.Stop()
				panic(http.ErrAbortHandler) // the client gave up, or the server is stopping
			}
		}
		switch {
		case f.Down:
			hangUp(w, true)
		case f.Drop:
			hangUp(w, false)
		case f.Status != 0:
			code := "processing"
			if f.Status >= 500 || f.Status == http.StatusTooManyRequests {
				code = "transient"
			}
			writeOutcome(w, f.Status, code, fmt.Sprintf("simulated failure of the %s registry (HTTP %d)", reg, f.Status))
		case f.Garbage:
			w.Header().Set("Content-Type", fhirJSON)
			w.Header().Set("Content-Length", strconv.Itoa(len(garbageBody)))
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, garbageBody)
		default:
			next.ServeHTTP(w, req)
		}
	})
}

// hangUp closes the request's connection without an answer: with a reset (RST) when
// reset is set, else with an orderly close (FIN).
func hangUp(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // the server closes the connection itself
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		tcp.SetLinger(0) // close sends RST instead of FIN
	}
	conn.Close()
}

// maxAdminBody caps a POST to /admin/faults.
const maxAdminBody = 64 << 10

// serveFaults is the admin endpoint:
//
//	GET    /admin/faults                   the faults of both registries
//	POST   /admin/faults?registry=local    set local's faults to the JSON body (empty: heal)
//	DELETE /admin/faults                   heal both
//
// Every answer is the state after the request, as {"local": {…}, "federal": {…}}.
func (r *Registry) serveFaults(w http.ResponseWriter, req *http.Request) {
	switch req.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost:
		reg := req.URL.Query().Get("registry")
		if reg != Local && reg != Federal {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("registry=%q: want registry=%s or registry=%s", reg, Local, Federal))
			return
		}
		body, err := io.ReadAll(io.LimitReader(req.Body, maxAdminBody+1))
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		if len(body) > maxAdminBody {
			adminError(w, http.StatusRequestEntityTooLarge, "the body is larger than 64 KiB")
			return
		}
		var f Faults
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, &f); err != nil {
				adminError(w, http.StatusBadRequest, "faults: "+err.Error())
				return
			}
		}
		if err := f.validate(); err != nil {
			adminError(w, http.StatusBadRequest, "faults: "+err.Error())
			return
		}
		r.SetFaults(reg, f)
	case http.MethodDelete:
		r.SetFaults(Local, Faults{})
		r.SetFaults(Federal, Faults{})
	default:
		w.Header().Set("Allow", "GET, HEAD, POST, DELETE")
		adminError(w, http.StatusMethodNotAllowed, req.Method+" is not served")
		return
	}
	writeAdmin(w, http.StatusOK, r.faultState())
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeAdmin(w, status, map[string]string{"error": msg})
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}
