#!/usr/bin/env bash
# What signing and attaching (cosign-format signature, DSSE SLSA provenance and SBOM statements, the SBOM) add to a push,
# measured against the same push unsigned (the peer), same process, same registry, alternating runs into fresh repositories.
#  (a) the registry bench's sample image: 5 x 13 MB incompressible layers (~65 MB), as in bench/registry.sh;
#  (b) the sample service's size class: one small layer (~20 KB), where a push is only round trips.
# The SBOM is made from the layers as the upload reads them and the attachments are signed beside the upload; what the
# SBOM still took after the image's blobs were stored is reported on its own (0: ready before). SIGN_TRACE=1 prints each
# push's steps in ms. Needs: docker-registry, dotnet. Target: ratio < 1.10.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-7}"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_init supply-chain
publish_registry_bench # the same bench tool as bench/registry.sh

bench make-image "$work/large.tar" 5 13000000
bench make-image "$work/small.tar" 1 20000
echo "(a) 65 MB, 5 layers, median of $RUNS:"
bench sign-overhead "$work/large.tar" "$(registry)" "$RUNS" "$work/layout-large" | sed 's/^/    /'
echo "(b) 20 KB, 1 layer, median of $RUNS:"
bench sign-overhead "$work/small.tar" "$(registry)" "$RUNS" "$work/layout-small" | sed 's/^/    /'
