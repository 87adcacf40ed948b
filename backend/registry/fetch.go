package registry

// fetch.go: one GET against the registry: retries, status codes, content type and the size limit.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// mediaFHIRJSON is the FHIR R4 JSON media type (FHIR R4 RESTful API, "Content Types and encodings").
	mediaFHIRJSON = "application/fhir+json"
	userAgent     = "CertKiosk registry client"
	// maxOutcomeBytes bounds what is read of an error answer to find its diagnostics.
	maxOutcomeBytes = 64 << 10
	// maxDiagnostics bounds the diagnostics quoted in an error.
	maxDiagnostics = 200
)

// attemptError is an attempt that got no usable answer for reasons outside the answer
// itself (see ErrUnreachable): the network, a timeout, an overloaded server.
type attemptError struct {
	cause error
	// retry is false for failures a retry cannot cure, such as an untrusted certificate.
	retry bool
	// retryAfter is the wait the server asked for (Retry-After), capped at BackoffCap.
	retryAfter time.Duration
}

func (e *attemptError) Error() string { return e.cause.Error() }

func (e *attemptError) Unwrap() error { return e.cause }

// get fetches u and returns the body of its 200 answer, trying again after a failure to
// get an answer (with backoff) but never after a bad answer. The errors are those
// described on ErrUnreachable and BadResponseError; when ctx is cancelled, the error
// wraps ctx's error.
func (c *Client) get(ctx context.Context, u *url.URL) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		body, err := c.getOnce(ctx, u)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, interrupted(ctx, u, nil)
		}
		var failed *attemptError
		if !errors.As(err, &failed) {
			return nil, err
		}
		if !failed.retry || attempt > c.opts.Retries {
			return nil, unreachable(u, failed.cause, attempt, "")
		}
		wait := max(c.backoff(attempt-1), failed.retryAfter)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// Say what went wrong now rather than sleep until the deadline.
			return nil, unreachable(u, failed.cause, attempt, "no time left for another")
		}
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return nil, interrupted(ctx, u, failed.cause)
		}
	}
}

// unreachable is the error returned when attempts attempts got no answer; note, if
// not "", says why there was no further attempt.
func unreachable(u *url.URL, cause error, attempts int, note string) error {
	var tail []string
	if attempts > 1 {
		tail = append(tail, fmt.Sprintf("%d attempts", attempts))
	}
	if note != "" {
		tail = append(tail, note)
	}
	if len(tail) == 0 {
		return fmt.Errorf("%w: GET %s: %w", ErrUnreachable, displayURL(u), cause)
	}
	return fmt.Errorf("%w: GET %s: %w (%s)", ErrUnreachable, displayURL(u), cause, strings.Join(tail, ", "))
}

// interrupted is the error returned when ctx ended during a request or a wait: the
// registry is unreachable when the time ran out, the caller gave up when it cancelled.
// last is the failure of the last attempt, if the wait after it was interrupted.
func interrupted(ctx context.Context, u *url.URL, last error) error {
	err := ctx.Err()
	what := "cancelled"
	if errors.Is(err, context.DeadlineExceeded) {
		what = "no answer in time"
	}
	if last != nil {
		what += fmt.Sprintf(" (last attempt: %v)", last)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: GET %s: %s: %w", ErrUnreachable, displayURL(u), what, err)
	}
	return fmt.Errorf("registry: GET %s: %s: %w", displayURL(u), what, err)
}

// getOnce makes one attempt. Its error is an *attemptError or a *BadResponseError.
func (c *Client) getOnce(ctx context.Context, u *url.URL) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &BadResponseError{URL: displayURL(u), Problem: err.Error()}
	}
	req.Header.Set("Accept", mediaFHIRJSON)
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(u, err)
	}
	defer resp.Body.Close()
	return c.readResponse(resp)
}

// transportError classifies an error of http.Client.Do.
func transportError(u *url.URL, err error) error {
	var refused *redirectError
	if errors.As(err, &refused) {
		return &BadResponseError{URL: displayURL(u), Problem: refused.problem}
	}
	// *url.Error repeats the whole URL, identifier included; keep only its cause.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return &attemptError{cause: err, retry: !isCertificateError(err)}
}

// readResponse checks the status, the content type and the size of an answer, and
// reads its body.
func (c *Client) readResponse(resp *http.Response) ([]byte, error) {
	where := displayURL(resp.Request.URL)
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
	case code == http.StatusTooManyRequests || code >= 500:
		return nil, &attemptError{
			cause:      fmt.Errorf("HTTP %s", resp.Status),
			retry:      true,
			retryAfter: min(retryAfter(resp.Header.Get("Retry-After")), c.opts.BackoffCap),
		}
	default:
		problem := "HTTP " + resp.Status
		if d := diagnostics(resp); d != "" {
			problem += ": " + d
		}
		return nil, &BadResponseError{URL: where, StatusCode: code, Problem: problem}
	}
	if ct := resp.Header.Get("Content-Type"); !isFHIRJSON(ct) {
		problem := fmt.Sprintf("content type %q, want %s", ct, mediaFHIRJSON)
		if ct == "" {
			problem = "no content type, want " + mediaFHIRJSON
		}
		return nil, &BadResponseError{URL: where, Problem: problem}
	}
	limit := c.opts.MaxResponseBytes
	if resp.ContentLength > limit {
		return nil, &BadResponseError{URL: where, Problem: fmt.Sprintf("body of %d bytes is over the limit of %d bytes", resp.ContentLength, limit)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &attemptError{cause: fmt.Errorf("reading the body: %w", err), retry: true}
	}
	if int64(len(body)) > limit {
		return nil, &BadResponseError{URL: where, Problem: fmt.Sprintf("body is over the limit of %d bytes", limit)}
	}
	return body, nil
}

// isFHIRJSON reports whether a Content-Type is JSON: the FHIR media type, plain JSON,
// or the pre-R4 "application/json+fhir" some servers still send.
func isFHIRJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case mediaFHIRJSON, "application/json", "application/json+fhir":
		return true
	}
	return false
}

// retryAfter reads a Retry-After header (RFC 9110 §10.2.3): seconds or an HTTP date.
// It returns 0 when the header is absent or unreadable.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// diagnostics returns what an OperationOutcome in an error answer says, or "".
func diagnostics(resp *http.Response) string {
	if !isFHIRJSON(resp.Header.Get("Content-Type")) {
		return ""
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxOutcomeBytes))
	if err != nil {
		return ""
	}
	var oo struct {
		ResourceType string `json:"resourceType"`
		Issue        []struct {
			Diagnostics string `json:"diagnostics"`
			Details     struct {
				Text string `json:"text"`
			} `json:"details"`
		} `json:"issue"`
	}
	if json.Unmarshal(data, &oo) != nil || oo.ResourceType != "OperationOutcome" {
		return ""
	}
	var texts []string
	for _, is := range oo.Issue {
		switch {
		case is.Diagnostics != "":
			texts = append(texts, is.Diagnostics)
		case is.Details.Text != "":
			texts = append(texts, is.Details.Text)
		}
	}
	s := strings.Join(texts, "; ")
	if r := []rune(s); len(r) > maxDiagnostics {
		s = string(r[:maxDiagnostics]) + "…"
	}
	return s
}
