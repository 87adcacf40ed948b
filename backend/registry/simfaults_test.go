package registry_test

// simfaults_test.go: the client against every fault switch of the demo registry.

import (
	"context"
	"errors"
	"testing"
	"time"

	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
)

func TestClientSurvivesDemoRegistryFaults(t *testing.T) {
	start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	sim, err := registrysim.Start(context.Background(), registrysim.Path(t.TempDir()), start)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	mari := registry.Identifier{System: registry.SystemEEPersonalCode, Value: "46003150224"}
	noSleep := func(ctx context.Context, d time.Duration) error { return ctx.Err() }

	tests := []struct {
		name   string
		faults registrysim.Faults
		want   error
	}{
		{"healthy", registrysim.Faults{}, nil},
		{"server errors", registrysim.Faults{Status: 503}, registry.ErrUnreachable},
		{"dropped connections", registrysim.Faults{Drop: true}, registry.ErrUnreachable},
		{"reset connections", registrysim.Faults{Down: true}, registry.ErrUnreachable},
		{"garbage bodies", registrysim.Faults{Garbage: true}, registry.ErrBadResponse},
		{"slower than the timeout", registrysim.Faults{Latency: 5 * time.Second}, registry.ErrUnreachable},
		{"two failures, then well", registrysim.Faults{Status: 503, Times: 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim.Registry.SetFaults(registrysim.Local, tt.faults)
			defer sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{})
			c, err := registry.NewClient(sim.LocalURL, registry.Options{Timeout: 800 * time.Millisecond, Sleep: noSleep})
			if err != nil {
				t.Fatal(err)
			}
			began := time.Now()
			rec, err := c.Find(context.Background(), mari)
			took := time.Since(began)
			if tt.want == nil {
				if err != nil || rec.Patient.FamilyName != "Tamm" {
					t.Fatalf("Find = %v, %v; want Mari Tamm's record", rec, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Find = %v, want %v", err, tt.want)
			}
			// Bounded: the total timeout plus scheduling slack, never a hang.
			if took > 5*time.Second {
				t.Errorf("Find took %v under %s", took, tt.name)
			}
		})
	}
}
