package config_test

import (
	"fmt"

	"certkiosk/backend/config"
)

// A configuration file names the line and the key of each mistake.
func ExampleParse() {
	_, err := config.Parse([]byte(`demo = false
data_folder = "/var/lib/certkiosk"
idle_timeout = "60"

[registry]
url = "http://registry.example/fhir"

[signing]
key = "demo"
`), "certkiosk.toml")
	fmt.Println(err)
	// Output:
	// config: certkiosk.toml:3: idle_timeout: "60" is not a duration (like "90s", "3m", "24h")
}

// Without a file the kiosk runs on the demo.
func ExampleDefault() {
	c := config.Default()
	fmt.Println(c.Demo, c.Profile, c.Signing.Key, c.Languages, c.Retention.Printed)
	// Output:
	// true EE demo [et en ru] 24h0m0s
}

// A production file passes; start-up then opens the key it names and checks it with
// RequireHardwareKey.
func ExampleLoad() {
	c, err := config.Load("../../build/certkiosk.example.toml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Demo, c.KioskID, c.PrinterURI())
	// Output:
	// false tallinn-central-library-1 ipps://printer.library.example/ipp/print
}
