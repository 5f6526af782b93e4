//go:build arm.7

package ociimage

const goarmVariant = "v7"
