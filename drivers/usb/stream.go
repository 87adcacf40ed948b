package usb

// stream.go: io.Reader and io.Writer views of an endpoint, for code that speaks
// the standard interfaces (bufio, io.Copy, encoders).

import (
	"context"
	"io"
)

// NewReader returns an io.Reader whose reads are transfers from in, each bounded
// by ctx. A zero-length transfer is returned as (0, nil), as io.Reader allows.
func NewReader(ctx context.Context, in In) io.Reader { return &reader{ctx: ctx, in: in} }

// NewWriter returns an io.Writer whose writes are transfers to out, each bounded
// by ctx.
func NewWriter(ctx context.Context, out Out) io.Writer { return &writer{ctx: ctx, out: out} }

type reader struct {
	ctx context.Context
	in  In
}

func (r *reader) Read(p []byte) (int, error) { return r.in.Read(r.ctx, p) }

type writer struct {
	ctx context.Context
	out Out
}

func (w *writer) Write(p []byte) (int, error) {
	n, err := w.out.Write(w.ctx, p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return n, err
}
