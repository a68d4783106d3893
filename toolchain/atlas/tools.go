//go:build tools
package tools
import _ "ariga.io/atlas/cmd/atlas"
