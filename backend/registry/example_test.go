package registry_test

// example_test.go: how a kiosk uses a Client.

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/backend/registry"
)

// A kiosk asks its registry for a resident's record and tells the three failures apart:
// no such person, no answer, and an answer it cannot use.
func ExampleClient_Find() {
	c, err := registry.NewClient("https://registry.example/fhir", registry.Options{CAFile: "/etc/certkiosk/registry-ca.pem"})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err := c.Find(context.Background(), registry.Identifier{System: registry.SystemSNILS, Value: "112-233-445 95"})
	var bad *registry.BadResponseError
	switch {
	case errors.Is(err, registry.ErrNotFound):
		fmt.Println("no record: ask the federal registry, or print a refusal")
	case errors.Is(err, registry.ErrUnreachable):
		fmt.Println("registry down: queue the request and print a claim code")
	case errors.As(err, &bad):
		fmt.Println("registry misbehaves:", bad.Problem)
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println(rec.Patient.FamilyName, len(rec.Immunizations), "doses")
	}
}
