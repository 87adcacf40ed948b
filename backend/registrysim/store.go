package registrysim

// store.go: the sqlite file the registries are served from. The only file that speaks
// SQL; the sqlite driver (cgo) is imported here and nowhere else.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// FileName is the demo registry's file in the kiosk's data folder.
const FileName = "demo-registry.sqlite"

// Path returns the demo registry's file in the data folder dataDir.
func Path(dataDir string) string { return filepath.Join(dataDir, FileName) }

// schema is one table of resources. A Patient carries its identifier in id_system and
// id_value (searched by the partial index); a clinical resource carries its Patient's id
// in patient_id. Rows are read in insertion order (rowid): a person's doses, tests and
// illnesses in the order the seed table lists them. The resource table holds nothing
// but the seed, so every Open rebuilds it.
//
// The reports the kiosk sends (Communication, see report.go) and the audit entries it
// ships (AuditEvent, auditevent.go) are kept apart, in report, told apart by their
// resourceType, with each one's identifiers in report_identifier for the conditional
// create; they are what clients wrote, not seed, so Open keeps them. user_version tells a person
// inspecting the file which layout it has.
const schema = `
DROP TABLE IF EXISTS resource;
CREATE TABLE resource (
	registry   TEXT NOT NULL CHECK (registry IN ('local', 'federal')),
	type       TEXT NOT NULL,
	id         TEXT NOT NULL,
	patient_id TEXT,
	id_system  TEXT,
	id_value   TEXT,
	body       TEXT NOT NULL CHECK (json_valid(body)),
	PRIMARY KEY (registry, type, id)
);
CREATE INDEX resource_by_patient ON resource (registry, type, patient_id);
CREATE INDEX resource_by_identifier ON resource (registry, id_value, id_system) WHERE type = 'Patient';
CREATE TABLE IF NOT EXISTS report (
	registry TEXT NOT NULL CHECK (registry IN ('local', 'federal')),
	id       TEXT NOT NULL,
	body     TEXT NOT NULL CHECK (json_valid(body)),
	PRIMARY KEY (registry, id)
);
CREATE TABLE IF NOT EXISTS report_identifier (
	registry  TEXT NOT NULL,
	report_id TEXT NOT NULL,
	system    TEXT NOT NULL,
	value     TEXT NOT NULL,
	FOREIGN KEY (registry, report_id) REFERENCES report (registry, id)
);
CREATE INDEX IF NOT EXISTS report_by_identifier ON report_identifier (registry, value, system);
PRAGMA user_version = 2;
`

// Registry is the demo registry: the seeded sqlite file behind the local and the
// federal FHIR endpoints, and the fault switches of each.
type Registry struct {
	db    *sql.DB
	start time.Time

	faultsMu sync.Mutex
	faults   map[string]Faults // by registry; a healthy registry has no entry

	// reportMu makes each conditional create's search and insert one step, so two
	// copies of a report sent at once are stored once.
	reportMu sync.Mutex
}

// Open opens the registry file at path, creating it and its folder when absent, and
// seeds it with the demo people, their records dated relative to start. The file is
// reseeded on every Open, in one transaction, so the demo tells the same story on any
// day; a reader in another process sees either the old seed or the new one.
func Open(path string, start time.Time) (*Registry, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("registrysim: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("registrysim: %w", err)
	}
	// Created here, mode 0600, before sqlite opens it (sqlite gives the WAL and the
	// shared-memory file the database's mode): the reports the kiosk sends hold
	// identifiers, even if only of fictional people.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("registrysim: %w", err)
	}
	f.Close()
	// The driver applies the underscore parameters to every connection it opens.
	db, err := sql.Open("sqlite3", fileURI(abs, "_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000"))
	if err != nil {
		return nil, fmt.Errorf("registrysim: open %s: %w", path, err)
	}
	r := &Registry{db: db, start: start, faults: map[string]Faults{}}
	if err := r.seed(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("registrysim: seed %s: %w", path, err)
	}
	return r, nil
}

// fileURI is an sqlite URI for the file at the absolute path abs: in a URI any
// character of the path is escaped, where a plain name would end at its first '?'.
func fileURI(abs, query string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: query}).String()
}

// Close closes the file. The server must have stopped first.
func (r *Registry) Close() error { return r.db.Close() }

// SeedTime is the moment the records are dated from: "20 days ago" is SeedTime minus
// 20 days.
func (r *Registry) SeedTime() time.Time { return r.start }

// seed rebuilds the table and writes the demo resources, all in one transaction.
func (r *Registry) seed(ctx context.Context) error {
	rows, err := seedResources(r.start)
	if err != nil {
		return err
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO resource
		(registry, type, id, patient_id, id_system, id_value, body) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, row := range rows {
		_, err := ins.ExecContext(ctx, row.registry, row.typ, row.id,
			nullable(row.patient), nullable(row.idSystem), nullable(row.idValue), string(row.body))
		if err != nil {
			return fmt.Errorf("%s %s/%s: %w", row.registry, row.typ, row.id, err)
		}
	}
	return tx.Commit()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// stored is a resource as read back: enough to name it in a bundle.
type stored struct {
	typ, id string
	body    json.RawMessage
}

// query is a search's condition over the resource table. cond is assembled from
// constant strings only; the values are in args.
type query struct {
	cond string
	args []any
}

// patientQuery finds a registry's Patients by identifier; an empty system matches any.
func patientQuery(registry, system, value string) query {
	if system == "" {
		return query{`registry = ? AND type = 'Patient' AND id_value = ?`, []any{registry, value}}
	}
	return query{`registry = ? AND type = 'Patient' AND id_system = ? AND id_value = ?`, []any{registry, system, value}}
}

// recordQuery finds the resources of one type that belong to a Patient.
func recordQuery(registry, typ, patient string) query {
	return query{`registry = ? AND type = ? AND patient_id = ?`, []any{registry, typ, patient}}
}

// page returns how many resources match q, and those from offset on, at most count.
func (r *Registry) page(ctx context.Context, q query, offset, count int) (int, []stored, error) {
	tx, err := r.db.BeginTx(ctx, nil) // one snapshot for the count and the page
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM resource WHERE `+q.cond, q.args...).Scan(&total); err != nil {
		return 0, nil, err
	}
	if count == 0 || offset >= total {
		return total, nil, nil
	}
	args := append(append([]any{}, q.args...), count, offset)
	rows, err := tx.QueryContext(ctx, `SELECT type, id, body FROM resource WHERE `+q.cond+
		` ORDER BY rowid LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return 0, nil, err
	}
	found, err := scanStored(rows)
	return total, found, err
}

// read returns one resource, or errNotFound.
func (r *Registry) read(ctx context.Context, registry, typ, id string) (stored, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT type, id, body FROM resource
		WHERE registry = ? AND type = ? AND id = ?`, registry, typ, id)
	if err != nil {
		return stored{}, err
	}
	found, err := scanStored(rows)
	if err != nil {
		return stored{}, err
	}
	if len(found) == 0 {
		return stored{}, errNotFound
	}
	return found[0], nil
}

// readAll returns the resources of one type with the given ids, in the order of ids;
// ids the registry does not hold are left out.
func (r *Registry) readAll(ctx context.Context, registry, typ string, ids []string) ([]stored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{registry, typ}
	for _, id := range ids {
		args = append(args, id)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	rows, err := r.db.QueryContext(ctx, `SELECT type, id, body FROM resource
		WHERE registry = ? AND type = ? AND id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	found, err := scanStored(rows)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]stored, len(found))
	for _, s := range found {
		byID[s.id] = s
	}
	var out []stored
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// newReport is a Communication to store: its id, its identifiers and its JSON.
type newReport struct {
	id          string
	identifiers []fhirIdentifier
	body        []byte
}

// createReport stores rep in registry, in one transaction. When ifNoneExist is set
// (a conditional create) and reports with that identifier are stored already, nothing
// is written: the one found is returned with created false, or errMultipleMatches when
// there are more.
func (r *Registry) createReport(ctx context.Context, registry, typ string, rep newReport, ifNoneExist *identifierToken) (_ stored, created bool, _ error) {
	r.reportMu.Lock()
	defer r.reportMu.Unlock()
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return stored{}, false, err
	}
	defer tx.Rollback() // a no-op after Commit
	if ifNoneExist != nil {
		found, err := findReports(ctx, tx, registry, typ, *ifNoneExist)
		if err != nil {
			return stored{}, false, err
		}
		switch len(found) {
		case 0:
		case 1:
			return found[0], false, nil
		default:
			return stored{}, false, errMultipleMatches
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report (registry, id, body) VALUES (?, ?, ?)`,
		registry, rep.id, string(rep.body)); err != nil {
		return stored{}, false, err
	}
	for _, ident := range rep.identifiers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_identifier (registry, report_id, system, value)
			VALUES (?, ?, ?, ?)`, registry, rep.id, ident.System, ident.Value); err != nil {
			return stored{}, false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return stored{}, false, err
	}
	return stored{typ: typ, id: rep.id, body: json.RawMessage(rep.body)}, true, nil
}

// reports returns registry's reports with the identifier, in the order they were stored.
func (r *Registry) reports(ctx context.Context, registry, typ string, ident identifierToken) ([]stored, error) {
	return findReports(ctx, r.db, registry, typ, ident)
}

// readReport returns one report, or errNotFound.
func (r *Registry) readReport(ctx context.Context, registry, typ, id string) (stored, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT json_extract(body, '$.resourceType'), id, body FROM report
		WHERE registry = ? AND id = ? AND json_extract(body, '$.resourceType') = ?`, registry, id, typ)
	if err != nil {
		return stored{}, err
	}
	found, err := scanStored(rows)
	if err != nil {
		return stored{}, err
	}
	if len(found) == 0 {
		return stored{}, errNotFound
	}
	return found[0], nil
}

// queryer is a database or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// findReports returns registry's written resources of type typ with the identifier;
// an empty system matches any.
func findReports(ctx context.Context, db queryer, registry, typ string, ident identifierToken) ([]stored, error) {
	cond := `registry = ? AND value = ?`
	args := []any{registry, typ, registry, ident.value}
	if ident.system != "" {
		cond += ` AND system = ?`
		args = append(args, ident.system)
	}
	rows, err := db.QueryContext(ctx, `SELECT json_extract(body, '$.resourceType'), id, body FROM report
		WHERE registry = ? AND json_extract(body, '$.resourceType') = ?
		AND id IN (SELECT report_id FROM report_identifier WHERE `+cond+`)
		ORDER BY rowid`, args...)
	if err != nil {
		return nil, err
	}
	return scanStored(rows)
}

func scanStored(rows *sql.Rows) ([]stored, error) {
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var s stored
		var body string
		if err := rows.Scan(&s.typ, &s.id, &body); err != nil {
			return nil, err
		}
		s.body = json.RawMessage(body)
		out = append(out, s)
	}
	return out, rows.Err()
}

// errNotFound is a read of a resource the registry does not hold.
var errNotFound = errors.New("registrysim: no such resource")

// storeError is an error the store returns for a caller to tell apart; a constant.
type storeError string

func (e storeError) Error() string { return string(e) }

// errMultipleMatches is a conditional create whose criteria match more than one report.
const errMultipleMatches = storeError("registrysim: more than one report matches")
