#!/bin/sh
# the emulator answers the AWS SDK for JavaScript v3 as AWS does
cd "${OPTIMA_TOP:?run from make check}" || exit 1
exec node --no-warnings --test --test-reporter=tap tests/emulator/test/*.test.js
