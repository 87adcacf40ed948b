package kiosk

import (
	"errors"
	"testing"
	"time"
)

// After five wrong PINs in a row the staff package backs off for 30 s (the default
// policies); StaffUnlock's refusal says how many seconds of it are left, on the
// kiosk's clock, in the form the staff screens read.
func TestStaffUnlockBackoffCarriesWait(t *testing.T) {
	app, clock := openDemo(t, "EE")
	for i := range 5 {
		if err := app.StaffUnlock("librarian", "000000"); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("StaffUnlock(librarian, wrong PIN %d) = %v, want %v", i+1, err, ErrWrongPIN)
		}
	}

	for _, tc := range []struct {
		after time.Duration // since the fifth failure
		want  int
		text  string
	}{
		{0, 30, "try-later: 30"},
		{12500 * time.Millisecond, 18, "try-later: 18"},
		{29 * time.Second, 1, "try-later: 1"},
		{29900 * time.Millisecond, 1, "try-later: 1"},
	} {
		t.Run(tc.after.String(), func(t *testing.T) {
			clock.Advance(tc.after)
			defer clock.Advance(-tc.after)
			err := app.StaffUnlock("librarian", "481516")
			var wait *WaitError
			if !errors.As(err, &wait) || !errors.Is(err, ErrTryLater) {
				t.Fatalf("StaffUnlock(librarian, right PIN) %v after the fifth failure = %v, want a *WaitError matching %v", tc.after, err, ErrTryLater)
			}
			if wait.Seconds != tc.want || err.Error() != tc.text {
				t.Errorf("StaffUnlock(librarian, right PIN) %v after the fifth failure = %q (%d s), want %q (%d s)", tc.after, err, wait.Seconds, tc.text, tc.want)
			}
		})
	}

	clock.Advance(30 * time.Second)
	if err := app.StaffUnlock("librarian", "481516"); err != nil {
		t.Errorf("StaffUnlock with the right PIN after the back-off = %v, want nil", err)
	}
}

func TestWaitSeconds(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{
		{30 * time.Second, 30},
		{29*time.Second + time.Nanosecond, 30},
		{500 * time.Millisecond, 1},
		{0, 1},
		{-time.Second, 1},
		{15 * time.Minute, 900},
	} {
		if got := waitSeconds(tc.d); got != tc.want {
			t.Errorf("waitSeconds(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}
