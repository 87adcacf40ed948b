// printview.go: the session's print jobs as the printing screen shows them,
// followed in the queue while they print, and the devices.

package kiosk

import (
	"context"
	"errors"
	"reflect"

	"certkiosk/backend/printing"
	"certkiosk/backend/queue"
)

// printViewLocked builds the print view from the jobs read from the queue (nil:
// keep the states shown, new jobs queued). a.mu is held.
func (a *App) printViewLocked(jobs map[int64]queue.Job) *PrintView {
	if a.sess == nil || len(a.sess.jobs) == 0 {
		return nil
	}
	old := map[string]PrintJob{}
	if a.st.Print != nil {
		for _, j := range a.st.Print.Jobs {
			old[j.ID] = j
		}
	}
	v := &PrintView{Jobs: []PrintJob{}, Done: true}
	for _, sj := range a.sess.jobs {
		id := jobID(sj.id)
		pj, ok := old[id]
		if !ok {
			pj = PrintJob{ID: id, What: sj.what, State: "queued", PrinterState: "unknown"}
		}
		if j, ok := jobs[sj.id]; ok {
			pj.State = jobState(j)
			pj.PrinterState = a.printerState(j)
		}
		v.Done = v.Done && pj.State == "printed"
		v.Jobs = append(v.Jobs, pj)
	}
	return v
}

// jobState is a print job's state in the screen's terms.
func jobState(j queue.Job) string {
	switch j.State {
	case queue.StateRunning:
		return "printing"
	case queue.StatePending:
		if j.Phase != "" {
			return "printing"
		}
		return "queued"
	case queue.StateDone:
		return "printed"
	case queue.StateHeld:
		return "held"
	}
	return "failed"
}

// printerState is the state of the printer a job prints on, in the screen's terms.
func (a *App) printerState(j queue.Job) string {
	s := j.PrinterState
	if s == "" && a.svc != nil {
		uri := j.Printer
		if uri == "" {
			uri = a.svc.printer
		}
		for _, st := range a.svc.worker.PrinterStatus() {
			if st.URI == uri {
				s = string(st.State)
			}
		}
	}
	return plainPrinterState(s)
}

func plainPrinterState(s string) string {
	switch printing.State(s) {
	case printing.StateReady, printing.StatePrinting, printing.StateMediaEmpty, printing.StateMediaJam,
		printing.StateOffline, printing.StateStopped:
		return s
	}
	return "unknown"
}

// stopped reports whether every job not printed has failed: none will print without
// staff.
func stopped(v *PrintView) bool {
	failed := false
	for _, j := range v.Jobs {
		switch j.State {
		case "failed":
			failed = true
		case "queued", "printing":
			return false
		}
	}
	return failed
}

// refreshPrint reads the session's print jobs from the queue and shows their
// states; when all have printed, the printing screen gives way to done.
func (a *App) refreshPrint(ctx context.Context) {
	a.mu.Lock()
	if a.sess == nil || len(a.sess.jobs) == 0 {
		a.mu.Unlock()
		return
	}
	gen := a.gen
	ids := make([]int64, 0, len(a.sess.jobs))
	for _, j := range a.sess.jobs {
		ids = append(ids, j.id)
	}
	a.mu.Unlock()
	jobs := map[int64]queue.Job{}
	for _, id := range ids {
		j, err := a.svc.queue.Get(ctx, id)
		if errors.Is(err, queue.ErrNotFound) {
			// Only finished jobs are purged; the retention outlasts a session, so
			// this one printed.
			j = queue.Job{ID: id, State: queue.StateDone, PrinterState: string(printing.StateReady)}
		} else if err != nil {
			continue
		}
		jobs[id] = j
	}
	a.current(gen, func(s *session) {
		v := a.printViewLocked(jobs)
		changed := !reflect.DeepEqual(v, a.st.Print)
		if changed {
			a.st.Print = v
		}
		switch {
		case v == nil || a.st.Screen != ScreenPrinting:
		case v.Done:
			a.st.Screen = ScreenDone
			changed = true
		case stopped(v):
			// Parked for staff: the resident is told to ask them.
			a.failLocked(Failure{Reason: "printer-unavailable"})
			return
		}
		if changed {
			a.commitLocked()
		}
	})
}

// devices are the reader, scanner and printer the kiosk uses, as they are now.
func (a *App) devices() []Device {
	out := []Device{}
	if a.svc == nil {
		return out
	}
	if a.svc.sim != nil {
		state := "ready"
		if _, ok := a.svc.sim.Reader().Present(); ok {
			state = "card-present"
		}
		out = append(out,
			Device{Kind: "reader", Name: a.svc.sim.Reader().Name(), ID: "sim", State: state, Simulated: true},
			Device{Kind: "scanner", Name: a.svc.sim.Scanner().Name(), ID: "sim", State: "ready", Simulated: true})
	}
	switch c := a.svc.setup.Cards; {
	case c != nil:
		state := readerReady
		if s, ok := c.(interface{ State() string }); ok {
			state = s.State()
		}
		out = append(out, Device{Kind: "reader", Name: c.Name(), ID: c.ID(), State: state})
	case a.svc.sim == nil:
		// Neither pcscd nor the USB bus had a reader at start-up.
		out = append(out, Device{Kind: "reader", Name: noReaderName, ID: noReaderID, State: readerOffline})
	}
	if a.svc.setup.Scans != nil {
		out = append(out, Device{Kind: "scanner", Name: "scanner", ID: "scanner", State: "ready"})
	}
	return append(out, a.printers()...)
}

// noReaderName and noReaderID are the device list's entry for a kiosk without a
// card reader.
const (
	noReaderName = "no card reader"
	noReaderID   = "none"
)

// printers are the printers the worker prints on, with their last state polled.
func (a *App) printers() []Device {
	seen := map[string]bool{}
	var out []Device
	for _, st := range a.svc.worker.PrinterStatus() {
		seen[st.URI] = true
		out = append(out, Device{Kind: "printer", Name: st.URI, ID: st.URI, State: plainPrinterState(string(st.State))})
	}
	if !seen[a.svc.printer] {
		out = append(out, Device{Kind: "printer", Name: a.svc.printer, ID: a.svc.printer, State: "unknown"})
	}
	return out
}

// refreshDevices shows a change in the devices' states.
func (a *App) refreshDevices() {
	if a.svc == nil {
		return
	}
	d := a.devices()
	a.mu.Lock()
	defer a.mu.Unlock()
	if !reflect.DeepEqual(d, a.st.Devices) {
		a.st.Devices = d
		a.commitLocked()
	}
}
