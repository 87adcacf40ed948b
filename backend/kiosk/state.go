// state.go: the State the frontend renders, and the views it is made of. The JSON
// names are the façade contract's; the frontend reads nothing else.

package kiosk

// Screen names the screen the frontend shows.
type Screen string

// The screens of the resident flow, in the order a session usually passes them.
const (
	ScreenAttract  Screen = "attract"
	ScreenLanguage Screen = "language"
	ScreenIdentify Screen = "identify"
	ScreenFetching Screen = "fetching"
	ScreenResults  Screen = "results"
	ScreenPreview  Screen = "preview"
	ScreenPrinting Screen = "printing"
	ScreenDone     Screen = "done"
	ScreenFailed   Screen = "failed"
	ScreenClaim    Screen = "claim"
	ScreenVerify   Screen = "verify"
)

// State is everything the frontend shows. The backend is its single source of truth;
// Seq increases on every change, so Poll can wait for the next one.
type State struct {
	Seq                uint64       `json:"seq"`
	Screen             Screen       `json:"screen"`
	Language           string       `json:"language"`
	Demo               bool         `json:"demo"`
	Profile            string       `json:"profile"`
	IdleTimeoutSeconds int          `json:"idleTimeoutSeconds"`
	Person             *PersonView  `json:"person,omitempty"`
	Fetch              *FetchView   `json:"fetch,omitempty"`
	Offers             []Offer      `json:"offers"`
	Refusals           []Refusal    `json:"refusals"`
	Preview            *Preview     `json:"preview,omitempty"`
	Print              *PrintView   `json:"print,omitempty"`
	Failure            *Failure     `json:"failure,omitempty"`
	Verify             *VerifyView  `json:"verify,omitempty"`
	Staff              *StaffView   `json:"staff,omitempty"`
	Devices            []Device     `json:"devices"`
	DemoPeople         []DemoPerson `json:"demoPeople"`

	// IdleRemainingSeconds is how long the session has left without activity before
	// the idle timeout wipes it, in whole seconds rounded up; absent (0) while no
	// timer runs: on attract with no staff member unlocked. Poll answers at least
	// every second, so a page counts down from it.
	IdleRemainingSeconds int `json:"idleRemainingSeconds,omitempty"`
}

// PersonView is who the session is for, as the registry writes the name. It never
// carries the identifier.
type PersonView struct {
	Name      string `json:"name"`
	BirthDate string `json:"birthDate"`
}

// FetchView is how far fetching has come: "card", "local", "federal" or "rules", and
// the attempt at that step (1 for the first).
type FetchView struct {
	Step    string `json:"step"`
	Attempt int    `json:"attempt"`
}

// Offer is a certificate the person can get now.
type Offer struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"` // "vaccination", "recovery" or "test"
	Dose       int    `json:"dose,omitempty"`
	Doses      int    `json:"doses,omitempty"`
	Date       string `json:"date"` // YYYY-MM-DD of the dose, the test or the positive test
	ValidFrom  string `json:"validFrom,omitempty"`
	ValidUntil string `json:"validUntil,omitempty"`
	Source     string `json:"source"` // "local" or "federal"
}

// Refusal is a kind of certificate that cannot be issued, with the rules' reason code,
// and the text and next step in the session's language.
type Refusal struct {
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
	Text     string `json:"text"`
	NextStep string `json:"nextStep"`
}

// Preview is a certificate shown before it is printed.
type Preview struct {
	OfferID    string `json:"offerId"`
	QR         string `json:"qr"` // data:image/png;base64,… of the HC1
	Name       string `json:"name"`
	BirthDate  string `json:"birthDate"`
	Kind       string `json:"kind"`
	Dose       int    `json:"dose,omitempty"`
	Doses      int    `json:"doses,omitempty"`
	Date       string `json:"date"`
	ValidUntil string `json:"validUntil,omitempty"`
	UVCI       string `json:"uvci"`
	Issuer     string `json:"issuer"`
	Specimen   bool   `json:"specimen"`
}

// PrintView is the print jobs of the session and whether all of them have printed.
type PrintView struct {
	Jobs []PrintJob `json:"jobs"`
	Done bool       `json:"done"`
}

// PrintJob is one document of the session on its way to paper.
type PrintJob struct {
	ID           string `json:"id"`
	What         string `json:"what"`         // "certificate", "slip" or "receipt"
	State        string `json:"state"`        // "queued", "printing", "printed", "held" or "failed"
	PrinterState string `json:"printerState"` // "ready", "printing", "media-empty", "media-jam", "offline", "stopped" or "unknown"
}

// Failure is why the session could not go on. Queued means the request is kept and
// a receipt with ClaimCode was printed.
type Failure struct {
	Reason    string `json:"reason"`
	Queued    bool   `json:"queued"`
	ClaimCode string `json:"claimCode,omitempty"`
}

// VerifyView is the result of checking a scanned certificate: green (valid), orange
// (valid, but not under the local rules now) or red (invalid).
type VerifyView struct {
	Colour    string `json:"colour"`
	Reason    string `json:"reason"`
	Kind      string `json:"kind,omitempty"`
	Name      string `json:"name,omitempty"`
	BirthDate string `json:"birthDate,omitempty"`
}

// StaffView is the staff member who has unlocked the kiosk.
type StaffView struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

// Device is a reader, scanner or printer the kiosk uses.
type Device struct {
	Kind      string `json:"kind"` // "reader", "scanner" or "printer"
	Name      string `json:"name"`
	ID        string `json:"id"` // VID:PID, URI or "sim"
	State     string `json:"state"`
	Simulated bool   `json:"simulated"`
}

// DemoPerson is someone the simulated card reader and scanner can present.
type DemoPerson struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Scenario string `json:"scenario"`
}

// IdentifierCheck is the live check of an identifier as staff type it.
type IdentifierCheck struct {
	OK         bool   `json:"ok"`
	Normalized string `json:"normalized"`
	Problem    string `json:"problem"` // "length", "check-digit", "format" or "date"
}

// JobView is a queue job as staff see it: no personal data.
type JobView struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"` // "issue", "print" or "report"
	State     string `json:"state"`
	Printer   string `json:"printer"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"lastError"`
	ClaimHash string `json:"claimHash,omitempty"`
	CreatedAt string `json:"createdAt"` // RFC 3339
}
