package registrysim

// serve.go: serving the registries on a listener, and the in-process starter that
// `make run` and `certkiosk issue --subject` use when no registry is configured.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownGrace bounds the wait for connections to close once serving is to stop.
const shutdownGrace = 2 * time.Second

// BaseURLs returns the local and the federal registry's base URLs for a server
// listening at addr. An unspecified host (":8765", "[::]:8765") is given as 127.0.0.1.
func BaseURLs(addr net.Addr) (local, federal string) {
	base := origin(addr)
	return base + "/fhir", base + "/federal/fhir"
}

func origin(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Serve answers HTTP requests on ln with Handler until ctx is done, then stops and
// returns nil; any other end of serving is returned as an error. Requests take their
// context from ctx, so one held by a latency fault is abandoned at once rather than
// delaying the stop.
func (r *Registry) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           r.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("registrysim: serve: %w", err)
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("registrysim: serve: %w", err)
	}
	return nil
}

// Running is a registry served on a loopback port in this process.
type Running struct {
	LocalURL   string // the local registry's FHIR base, http://127.0.0.1:PORT/fhir
	FederalURL string // the federal registry's, http://127.0.0.1:PORT/federal/fhir
	AdminURL   string // the fault switches, http://127.0.0.1:PORT/admin/faults
	Registry   *Registry

	stop context.CancelFunc
	done chan struct{}
	once sync.Once
	err  error
}

// Start opens (and reseeds) the registry file at path with records dated relative to
// start, and serves it on a free loopback port until ctx is done or Close is called.
func Start(ctx context.Context, path string, start time.Time) (*Running, error) {
	reg, err := Open(path, start)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		reg.Close()
		return nil, fmt.Errorf("registrysim: %w", err)
	}
	ctx, stop := context.WithCancel(ctx)
	run := &Running{Registry: reg, stop: stop, done: make(chan struct{})}
	run.LocalURL, run.FederalURL = BaseURLs(ln.Addr())
	run.AdminURL = origin(ln.Addr()) + "/admin/faults"
	go func() {
		defer close(run.done)
		err := reg.Serve(ctx, ln)
		run.err = errors.Join(err, reg.Close())
	}()
	return run, nil
}

// Close stops serving and closes the registry file; it returns once both are done.
// Calling it again returns the same result.
func (r *Running) Close() error {
	r.once.Do(r.stop)
	<-r.done
	return r.err
}
