//go:build tools

// Package tools pins Toxiproxy, built for the benchmarks only (bench/toxiproxy.ts compares the
// rig's proxy with it); nothing of it ships with test-rig.
package tools

import _ "github.com/Shopify/toxiproxy/v2/cmd/server"
