package registry

// ping.go: Ping, a check that the base URL answers as a FHIR R4 server (GET metadata).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Ping asks the registry for its CapabilityStatement (GET {base}/metadata) and checks
// that it speaks FHIR 4.0.x. It is bounded by Options.Timeout and retried like Find; its
// errors wrap ErrUnreachable or ErrBadResponse, or ctx's error when ctx is cancelled.
// A kiosk pings at start-up, so that a wrong base URL shows as a configuration error
// rather than as every resident being "not found".
func (c *Client) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	u := c.base.JoinPath("metadata")
	body, err := c.get(ctx, u)
	if err != nil {
		return err
	}
	var cs struct {
		ResourceType string `json:"resourceType"`
		FHIRVersion  string `json:"fhirVersion"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&cs); err != nil {
		return &BadResponseError{URL: displayURL(u), Problem: fmt.Sprintf("not FHIR JSON: %v", err), Err: err}
	}
	if cs.ResourceType != "CapabilityStatement" {
		return &BadResponseError{URL: displayURL(u), Problem: fmt.Sprintf("resourceType is %q, want \"CapabilityStatement\"", cs.ResourceType)}
	}
	if !strings.HasPrefix(cs.FHIRVersion, "4.0.") {
		return &BadResponseError{URL: displayURL(u), Problem: fmt.Sprintf("fhirVersion is %q, want 4.0.x (FHIR R4)", cs.FHIRVersion)}
	}
	return nil
}
