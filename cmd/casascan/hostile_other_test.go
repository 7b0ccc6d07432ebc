//go:build !unix

package main

import "os"

func maxRSS(*os.ProcessState) int64 { return 0 }

func limitAddressSpace(uint64) {}
