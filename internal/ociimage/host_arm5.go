//go:build arm && !arm.6

package ociimage

const goarmVariant = "v5"
