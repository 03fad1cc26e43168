// Request to response, and every error to an ErrorResponse (see
// RequestHandler.h).
#include "Handler/RequestHandler.h"

#include <exception>
#include <new>

namespace wasmscope::dap {

json BaseRequestHandler::errorResponse(int64_t requestSeq, std::string_view command,
                                       const RequestError& error) {
  json message = {{"id", int(error.id)}, {"format", error.message}, {"showUser", error.showUser}};
  return {{"type", "response"},       {"request_seq", requestSeq},
          {"command", command},       {"success", false},
          {"message", error.message}, {"body", {{"error", std::move(message)}}}};
}

json BaseRequestHandler::run(int64_t requestSeq, const json& arguments) {
  json body;
  RequestError error;
  bool ok = false;
  // Third-party exceptions (nlohmann's, std::bad_alloc) stop here.
  try {
    ok = execute(arguments, body, error);
  } catch (const std::bad_alloc&) {
    body = json();
    error = {ErrorId::InternalError,
             "out of host memory while handling '" + std::string(command()) + "'", true};
  } catch (const std::exception& e) {
    error = {ErrorId::InternalError, std::string("internal error: ") + e.what(), true};
  } catch (...) {
    error = {ErrorId::InternalError, "internal error", true};
  }
  if (!ok)
    return errorResponse(requestSeq, command(), error);
  json response = {
      {"type", "response"}, {"request_seq", requestSeq}, {"command", command()}, {"success", true}};
  if (!body.is_null())
    response["body"] = std::move(body);
  return response;
}

} // namespace wasmscope::dap
