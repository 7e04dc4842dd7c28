#!/bin/sh
# optima's SigV4 signer agrees with the AWS SDK's on 1,000 generated requests
cd "${OPTIMA_TOP:?run from make check}/tests" || exit 1
exec node sigv4-differential.js "${OPTIMA_UNITS:?}/sigv4-sign" 1000
