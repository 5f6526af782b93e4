//go:build arm.6 && !arm.7

package ociimage

const goarmVariant = "v6"
