package staff

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStoreAddAndReopen(t *testing.T) {
	r := newRig(t, AuthOptions{})
	r.reopen(t, AuthOptions{})
	got, err := r.store.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"admin-1", "clerk-1", "clerk-2", "lib-1", "member-1"}
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
		if !a.Created.Equal(start) || a.Locked || a.Failures != 0 {
			t.Errorf("account %s = %+v, want created at %v, not locked, no failures", a.ID, a, start)
		}
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("Accounts() ids = %v, want %v", ids, want)
	}
	a, err := r.store.Account("clerk-2")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Pille Saar" || !reflect.DeepEqual(a.Roles, []Role{RoleClerk, RoleCommissionMember}) {
		t.Errorf("Account(clerk-2) = %+v", a)
	}
	if _, err := r.store.Account("nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Account(nobody) = %v, want ErrNotFound", err)
	}
}

func TestStoreRefusesBadAccounts(t *testing.T) {
	r := newRig(t, AuthOptions{})
	lib := []Role{RoleLibrarian}
	tests := []struct {
		name    string
		account Account
		pin     string
		want    error
	}{
		{"id in use", Account{ID: "lib-1", Name: "Other", Roles: lib}, "583920", ErrExists},
		{"empty id", Account{ID: "", Name: "X", Roles: lib}, "583920", ErrInvalid},
		{"id with a space", Account{ID: "Anna Kask", Name: "X", Roles: lib}, "583920", ErrInvalid},
		{"id starting with a dot", Account{ID: ".lib", Name: "X", Roles: lib}, "583920", ErrInvalid},
		{"id too long", Account{ID: strings.Repeat("a", MaxIDLen+1), Name: "X", Roles: lib}, "583920", ErrInvalid},
		{"no name", Account{ID: "lib-9", Name: " ", Roles: lib}, "583920", ErrInvalid},
		{"name with a line end", Account{ID: "lib-9", Name: "Anna\nKask", Roles: lib}, "583920", ErrInvalid},
		{"no role", Account{ID: "lib-9", Name: "X"}, "583920", ErrInvalid},
		{"unknown role", Account{ID: "lib-9", Name: "X", Roles: []Role{"root"}}, "583920", ErrInvalid},
		{"role twice", Account{ID: "lib-9", Name: "X", Roles: []Role{RoleClerk, RoleClerk}}, "583920", ErrInvalid},
		{"weak PIN", Account{ID: "lib-9", Name: "X", Roles: lib}, "123456", ErrWeakPIN},
	}
	for _, tt := range tests {
		if err := r.store.Add(tt.account, []byte(tt.pin)); !errors.Is(err, tt.want) {
			t.Errorf("Add(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
	if got, _ := r.store.Accounts(); len(got) != len(testAccounts) {
		t.Errorf("after refused adds, %d accounts, want %d", len(got), len(testAccounts))
	}
}

func TestStoreFileModes(t *testing.T) {
	r := newRig(t, AuthOptions{})
	for _, name := range []string{FileName, LockName} {
		fi, err := os.Stat(filepath.Join(r.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", name, perm)
		}
	}
	if err := os.Chmod(r.store.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(r.dir, StoreOptions{}); !errors.Is(err, ErrPermissions) {
		t.Errorf("OpenStore with staff.json mode 0644 = %v, want ErrPermissions", err)
	}
	if _, err := r.store.Accounts(); !errors.Is(err, ErrPermissions) {
		t.Errorf("Accounts() with staff.json mode 0644 = %v, want ErrPermissions", err)
	}
}

func TestStoreRefusesDamagedFile(t *testing.T) {
	r := newRig(t, AuthOptions{})
	good, err := os.ReadFile(r.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	pin, err := r.store.load()
	if err != nil {
		t.Fatal(err)
	}
	hash := pin.Accounts[0].PIN
	tests := []struct {
		name string
		edit func(string) string
	}{
		{"not JSON", func(string) string { return "{" }},
		{"two documents", func(s string) string { return s + s }},
		{"unknown field", func(s string) string { return strings.Replace(s, `"version"`, `"admin":true,"version"`, 1) }},
		{"other version", func(s string) string { return strings.Replace(s, `"version": 1`, `"version": 2`, 1) }},
		{"PIN in clear", func(s string) string { return strings.Replace(s, hash, "913372", 1) }},
		{"unknown role", func(s string) string { return strings.Replace(s, `"administrator"`, `"root"`, 1) }},
		{"id twice", func(s string) string { return strings.Replace(s, `"clerk-2"`, `"clerk-1"`, 1) }},
		{"negative count", func(s string) string { return strings.Replace(s, `"roles"`, `"failures": -3, "roles"`, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			damaged := tt.edit(string(good))
			if damaged == string(good) {
				t.Fatal("the edit changed nothing")
			}
			if err := os.WriteFile(r.store.Path(), []byte(damaged), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := OpenStore(r.dir, StoreOptions{})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("OpenStore(%s) = %v, want ErrCorrupt", tt.name, err)
			}
			for _, a := range testAccounts {
				if strings.Contains(err.Error(), a.account.Name) || strings.Contains(err.Error(), a.pin) {
					t.Errorf("OpenStore(%s) = %q, repeats an account's name or PIN", tt.name, err)
				}
			}
		})
	}
}

func TestStoreUnlockAndRemove(t *testing.T) {
	r := newRig(t, AuthOptions{})
	for range 3 {
		r.auth.Login(t.Context(), "lib-1", []byte("000001"))
	}
	if a, _ := r.store.Account("lib-1"); a.Failures != 3 || !a.LastFailure.Equal(start) {
		t.Fatalf("after 3 failures, account = %+v", a)
	}
	if err := r.store.Unlock("lib-1"); err != nil {
		t.Fatal(err)
	}
	if a, _ := r.store.Account("lib-1"); a.Failures != 0 || !a.LastFailure.IsZero() {
		t.Errorf("after Unlock, account = %+v, want no failures", a)
	}
	if err := r.store.Remove("lib-1"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(r.store.Path())
	if strings.Contains(string(raw), "lib-1") || strings.Contains(string(raw), "Anna Kask") {
		t.Errorf("staff.json still holds the removed account:\n%s", raw)
	}
	for _, f := range []func(string) error{r.store.Unlock, r.store.Remove} {
		if err := f("lib-1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("on a removed account = %v, want ErrNotFound", err)
		}
	}
}

// TestStoreConcurrentWriters: two Stores on one folder (two processes, as far as the
// store can tell) adding at once lose no account.
func TestStoreConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	var stores [2]*Store
	for i := range stores {
		var err error
		if stores[i], err = OpenStore(dir, StoreOptions{Params: cheap()}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			a := Account{ID: fmt.Sprintf("lib-%02d", i), Name: "Staff", Roles: []Role{RoleLibrarian}}
			if err := stores[i%2].Add(a, []byte("582931")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got, err := stores[0].Accounts(); err != nil || len(got) != 20 {
		t.Errorf("Accounts() = %d accounts, %v; want 20", len(got), err)
	}
}

// TestPINNeverStored adds the accounts, then logs in with their PINs, with wrong PINs,
// and with a PIN typed into the staff id field, and looks for every PIN typed in
// every file of the folder.
func TestPINNeverStored(t *testing.T) {
	r := newRig(t, AuthOptions{KioskPolicy: Policy{BackoffAfter: 100, BackoffBase: time.Second, BackoffCap: time.Second}})
	typed := []string{"605193", "771540"}
	for _, a := range testAccounts {
		r.login(t, a.account.ID)
		typed = append(typed, a.pin)
		r.auth.Login(t.Context(), a.account.ID, []byte("605193"))
	}
	r.auth.Login(t.Context(), "771540", []byte("771540"))
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(r.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, pin := range typed {
			if strings.Contains(string(raw), pin) {
				t.Errorf("%s holds the PIN %s", e.Name(), pin)
			}
		}
	}
	for _, line := range r.rec.summary() {
		for _, pin := range typed {
			if strings.Contains(line, pin) {
				t.Errorf("audit event %q holds the PIN %s", line, pin)
			}
		}
	}
}
