package cli

// keys.go: certkiosk keys — the signing key in a hardware token: generate it with a
// certificate signing request for the national CA (or a self-signed test
// certificate), then install the certificate the CA issued.

import (
	"context"
	"flag"
	"fmt"
	"io"

	"certkiosk/backend/signer"
)

// defaultKeySubject is the common name asked for when --subject is not given.
const defaultKeySubject = "CertKiosk document signer"

// maxCertFile caps a certificate file given to import-cert.
const maxCertFile = 1 << 20

func runKeys(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		keysUsage(env.Stderr)
		return usagef("give a subcommand: generate or import-cert")
	}
	switch args[0] {
	case "generate":
		return runKeysGenerate(env, args[1:])
	case "import-cert":
		return runKeysImportCert(env, args[1:])
	case "help", "-h", "--help":
		keysUsage(env.Stderr)
		return flag.ErrHelp
	}
	return usagef("unknown subcommand %q: want generate or import-cert", args[0])
}

func keysUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: certkiosk keys generate --key URI [--subject CN] [--self-signed]")
	fmt.Fprintln(w, "       certkiosk keys import-cert --key URI CERT.pem")
	fmt.Fprintln(w, "\ngenerate creates a P-256 key in the token and prints a certificate signing request")
	fmt.Fprintln(w, "for the national CA (PEM), or with --self-signed installs and prints a test")
	fmt.Fprintln(w, "certificate; import-cert installs the certificate the CA issued next to the key.")
	fmt.Fprintln(w, "URI is a PKCS#11 URI (RFC 7512) naming the token, the key's label and the PIN.")
}

// newKeysFlags returns a keys subcommand's flag set with its required --key.
func newKeysFlags(env *Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("certkiosk keys "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs, fs.String("key", "", "PKCS#11 URI (RFC 7512) of the key in the token (required), e.g. "+
		"'pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/certkiosk/pin'")
}

func runKeysGenerate(env *Env, args []string) error {
	fs, keyURI := newKeysFlags(env, "generate")
	subject := fs.String("subject", defaultKeySubject, "common name of the certificate asked for")
	selfSigned := fs.Bool("self-signed", false, "install a self-signed test certificate at once instead of printing a request (demos and tests: what it signs is not valid)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *keyURI == "" {
		return usagef("--key URI is required: the PKCS#11 URI of the new key")
	}
	if *selfSigned {
		certPEM, err := signer.GenerateSelfSignedInToken(*keyURI, *subject, env.Now())
		if err != nil {
			return err
		}
		if _, err := env.Stdout.Write(certPEM); err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, "certkiosk keys generate: key and self-signed TEST certificate installed; certificates signed with it are not valid")
		return nil
	}
	csrPEM, err := signer.GenerateInToken(*keyURI, *subject)
	if err != nil {
		return err
	}
	if _, err := env.Stdout.Write(csrPEM); err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "certkiosk keys generate: key created; send the request above to the national CA, then install its certificate with 'certkiosk keys import-cert'")
	return nil
}

func runKeysImportCert(env *Env, args []string) error {
	fs, keyURI := newKeysFlags(env, "import-cert")
	if err := parseFlags(fs, args, 1); err != nil {
		return err
	}
	switch {
	case *keyURI == "":
		return usagef("--key URI is required: the PKCS#11 URI of the key the certificate is for")
	case fs.NArg() != 1:
		return usagef("give the certificate file: certkiosk keys import-cert --key URI CERT.pem")
	}
	certPEM, err := readFileLimited(fs.Arg(0), maxCertFile)
	if err != nil {
		return err
	}
	if err := signer.ImportCertificate(*keyURI, certPEM); err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(env.Stderr, "certkiosk keys import-cert: %s installed next to the key\n", fs.Arg(0))
	return nil
}
