-- wrk script: POST the JSON file named by $BODY_FILE on every request.
--   BODY_FILE=bench/out/body-100.json wrk -s bench/scripts/post.lua http://127.0.0.1:PORT/v1/predict/regression
local path = os.getenv("BODY_FILE")
assert(path and path ~= "", "set BODY_FILE to the JSON body to POST")
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
