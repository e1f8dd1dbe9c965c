"use strict";
// The bench's echo function for serverless-offline, answering as the C# sample http-echo answers through the
// gateway: 200, the request's Content-Type, and the request body as the response body (base64 bodies go back as
// they came, still base64). A request without a body (GET) gets an empty body, as http-echo gives it.
module.exports.echo = async (event) => {
  const headers = event.headers || {};
  const contentType = headers["Content-Type"] ?? headers["content-type"];
  return {
    statusCode: 200,
    headers: contentType === undefined ? {} : { "Content-Type": contentType },
    body: event.body ?? "",
    isBase64Encoded: event.isBase64Encoded === true,
  };
};
