package commission

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// crashEnv names the register a helper process works on; crashStage the stage it
// takes a case to before it kills itself.
const (
	crashEnv   = "COMMISSION_CRASH_DIR"
	crashStage = "COMMISSION_CRASH_STAGE"
)

// TestCrashHelper is the process TestKillBetweenSteps kills: it takes a case to the
// stage it is given and sends itself SIGKILL, with the register still open. Run
// without the environment, it does nothing.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		return
	}
	e := open(t, dir)
	e.toStage(t, Stage(os.Getenv(crashStage)))
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal arrives
}

// TestKillBetweenSteps kills a process that holds the register open after each
// stage, reopens the register, and continues the case to its certificate: every
// step that returned is there.
func TestKillBetweenSteps(t *testing.T) {
	for _, stage := range []Stage{StageApplied, StagePaid, StageResult, StageDecided, StageApproved} {
		t.Run(string(stage), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+dir, crashStage+"="+string(stage))
			out, err := cmd.CombinedOutput()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if err == nil || !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("helper ended with %v, want SIGKILL; output:\n%s", err, out)
			}

			e := open(t, dir)
			ctx := context.Background()
			c, err := e.svc.Case(ctx, clerk, "AK000001")
			if err != nil {
				t.Fatalf("after the kill: Case() = %v", err)
			}
			if c.Stage != stage || c.Name != testName {
				t.Fatalf("after the kill the case is %s (%q), want %s", c.Stage, c.Name, stage)
			}
			next := map[Stage]func() error{
				StageApplied: func() error {
					_, err := e.svc.RecordPayment(ctx, clerk, c.ID, "7", 150000, "RUB")
					return err
				},
				StagePaid: func() error { _, err := e.svc.EnterResult(ctx, clerk, c.ID, testResult()); return err },
				StageResult: func() error {
					_, err := e.svc.Decide(ctx, member1, c.ID, DecisionPresent)
					return err
				},
				StageDecided: func() error {
					if _, err := e.svc.Approve(ctx, member1, c.ID); err != nil {
						return err
					}
					_, err := e.svc.Approve(ctx, member2, c.ID)
					return err
				},
				StageApproved: func() error { _, err := e.svc.Issue(ctx, clerk, c.ID); return err },
			}
			for c.Stage != StageIssued {
				if err := next[c.Stage](); err != nil {
					t.Fatalf("continuing from %s: %v", c.Stage, err)
				}
				c = must[Case](t, "Case")(e.svc.Case(ctx, clerk, c.ID))
			}
			if c.UVCI == "" || c.Approvals != 2 {
				t.Errorf("finished case = %+v, want issued with 2 approvals", c)
			}
		})
	}
}
