package seal_test

import (
	"crypto/rand"
	"errors"
	"fmt"

	"certkiosk/backend/seal"
)

// A store seals a person's data bound to the row it belongs to, and keeps the
// identifier only as a keyed hash to find the row again.
func Example() {
	master := make([]byte, seal.KeySize)
	rand.Read(master) // a store keeps its key in a file of its own, never in the database
	s, err := seal.New(master, "queue", nil)
	clear(master)
	if err != nil {
		fmt.Println(err)
		return
	}

	sealed, err := s.Seal([]byte(`{"birthDate":"1960-03-15"}`), "EE-46003150224-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	lookup := s.Hash("subject", "urn:ee:isikukood", "46003150224")
	fmt.Println(len(sealed), len(lookup))

	plain, err := s.Open(sealed, "EE-46003150224-1")
	fmt.Println(string(plain), err)

	_, err = s.Open(sealed, "EE-38001085718-1") // copied onto another job's row
	fmt.Println(errors.Is(err, seal.ErrOpen))
	// Output:
	// 55 32
	// {"birthDate":"1960-03-15"} <nil>
	// true
}
