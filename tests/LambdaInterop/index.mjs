// Handlers the official Node.js runtime interface client (aws-lambda-ric) runs behind the gateway, launched by
// tests/Gateway.Tests (RuntimeApi/OfficialNodeRuntimeClientTests.cs). Each answer is made of what the request carries,
// so a test asserts what crossed the gateway, not what is written here.
import { access } from "node:fs/promises";

/** Returns the function URL response the request's body describes (JSON). */
export const respond = async (event) => JSON.parse(event.body);

/** Returns the event as it arrived, as the JSON body of a 200. */
export const echo = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(event),
});

/** Throws an error of the type and message the query names (`?type=RangeError&message=...`). */
export const fail = async (event) => {
  const error = new Error(event.queryStringParameters.message);
  error.name = event.queryStringParameters.type;
  throw error;
};

/**
 * Streams the response the request's body describes: `HttpResponseStream.from` its `prelude`, writes `first`, waits
 * until the file `release` exists, then ends with `rest`, or throws `failure` when the body names one.
 */
export const stream = awslambda.streamifyResponse(async (event, responseStream) => {
  const { prelude, first, release, rest, failure } = JSON.parse(event.body);
  const body = awslambda.HttpResponseStream.from(responseStream, prelude);
  body.write(first);
  await released(release);
  if (failure) {
    throw new Error(failure);
  }
  body.end(rest);
});

async function released(path) {
  for (;;) {
    try {
      return await access(path);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
