// llama-server's request handlers inside a JVM, without HTTP.
//
// A runner process loads one model into llama.cpp's own server_context, runs its decoding loop on a
// Java thread, and calls server_routes' handlers with llama-server's JSON: templates, tool-call
// parsing, reasoning extraction, grammars, multimodal input, slots and usage are llama.cpp's. One
// request is an "exchange": its body, a cancel flag the handler polls, and the response it produced,
// read chunk by chunk for a stream. tools/server/server.cpp is the reference for every call made
// here; read its diff on each llama.cpp upgrade.
//
// Java side: io.lmbridge.local.runner.llamacpp.LlamaServerNative.

#include <jni.h>

#include "arg.h"
#include "common.h"
#include "llama.h"
#include "log.h"
#include "server-common.h"
#include "server-context.h"
#include "server-http.h"

#include <atomic>
#include <clocale>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#define EXPORT extern "C" JNIEXPORT

namespace {

// The last error lines llama.cpp logged, so that a failed load can say why in its exception, not
// only in the log.
std::mutex g_errors_mutex;
std::deque<std::string> g_errors;
constexpr size_t MAX_ERRORS = 8;

void log_callback(ggml_log_level level, const char * text, void * user_data) {
    if (level == GGML_LOG_LEVEL_ERROR && text != nullptr) {
        std::string line(text);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.pop_back();
        }
        if (!line.empty()) {
            std::lock_guard<std::mutex> lock(g_errors_mutex);
            g_errors.push_back(line);
            if (g_errors.size() > MAX_ERRORS) {
                g_errors.pop_front();
            }
        }
    }
    common_log_default_callback(level, text, user_data);
}

// The lines logged since the last call, each once: llama-server may try a load twice (to fit memory).
std::string take_errors() {
    std::lock_guard<std::mutex> lock(g_errors_mutex);
    std::string joined;
    std::set<std::string> seen;
    for (const auto & line : g_errors) {
        if (seen.insert(line).second) {
            joined += joined.empty() ? line : "; " + line;
        }
    }
    g_errors.clear();
    return joined;
}

struct server {
    common_params params;
    server_context context;
    std::unique_ptr<server_routes> routes;
    std::map<std::string, server_http_context::handler_t *> handlers;
};

struct exchange {
    std::string handler;
    std::atomic<bool> cancelled{false};
    std::function<bool()> should_stop = [this] { return cancelled.load(); };
    // The handler keeps a reference to the request (and to should_stop) until the response is done.
    server_http_req request{{}, {}, "", "", "", {}, should_stop};
    server_http_res_ptr response;
    bool first_read = true;
    bool ended = false;
};

void throw_java(JNIEnv * env, const char * class_name, const std::string & message) {
    jclass type = env->FindClass(class_name);
    if (type != nullptr) {
        env->ThrowNew(type, message.c_str());
    }
}

std::string to_string(JNIEnv * env, jbyteArray bytes) {
    if (bytes == nullptr) {
        return "";
    }
    jsize length = env->GetArrayLength(bytes);
    std::string text(static_cast<size_t>(length), '\0');
    env->GetByteArrayRegion(bytes, 0, length, reinterpret_cast<jbyte *>(text.data()));
    return text;
}

jbyteArray to_bytes(JNIEnv * env, const std::string & text) {
    jbyteArray bytes = env->NewByteArray(static_cast<jsize>(text.size()));
    if (bytes != nullptr) {
        env->SetByteArrayRegion(bytes, 0, static_cast<jsize>(text.size()), reinterpret_cast<const jbyte *>(text.data()));
    }
    return bytes;
}

// What server.cpp's ex_wrapper does: a handler's exception becomes an error response in llama-server's shape.
server_http_res_ptr error_response(const std::string & message, error_type type) {
    auto res = std::make_unique<server_http_res>();
    json error = format_error_response(message, type);
    res->status = json_value(error, "code", 500);
    res->data = safe_json_to_str({{"error", error}});
    return res;
}

}  // namespace

EXPORT jint JNICALL JNI_OnLoad(JavaVM *, void *) {
    std::setlocale(LC_NUMERIC, "C");
    // One line per record, each starting with its level letter (E, W, I, D), which the gateway maps
    // to its own levels; the gateway's log adds the time.
    common_log_set_prefix(common_log_main(), true);
    common_log_set_timestamps(common_log_main(), false);
    llama_log_set(log_callback, nullptr);
    llama_backend_init();
    return JNI_VERSION_1_8;
}

// Loads a model with llama-server's command-line arguments, given as one NUL-separated UTF-8 list.
EXPORT jlong JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_load(JNIEnv * env, jclass,
                                                                                  jbyteArray joined_args) {
    std::string joined = to_string(env, joined_args);
    std::vector<std::string> args{"llama-server"};
    for (size_t start = 0; start <= joined.size();) {
        size_t end = joined.find('\0', start);
        if (end == std::string::npos) {
            end = joined.size();
        }
        if (end > start) {
            args.push_back(joined.substr(start, end - start));
        }
        start = end + 1;
    }
    std::vector<char *> argv;
    for (auto & arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    auto instance = std::make_unique<server>();
    try {
        take_errors();
        if (!common_params_parse(static_cast<int>(args.size()), argv.data(), instance->params, LLAMA_EXAMPLE_SERVER)) {
            throw_java(env, "java/lang/IllegalArgumentException", "llama.cpp refused the arguments: " + take_errors());
            return 0;
        }
        common_params & params = instance->params;
        // As llama-server: embeddings need the whole input in one micro-batch.
        if (params.embedding && params.n_batch > params.n_ubatch) {
            params.n_batch = params.n_ubatch;
        }
        auto model_name = params.model.get_name();
        if (params.model_alias.empty() && !model_name.empty()) {
            params.model_alias.insert(model_name);
        }
        // The routes register their sleep callback before the model loads, as llama-server does.
        instance->routes = std::make_unique<server_routes>(params, instance->context);
        if (!instance->context.load_model(params)) {
            std::string why = take_errors();
            throw_java(env, "java/lang/IllegalStateException", why.empty() ? "llama.cpp could not load the model" : why);
            return 0;
        }
        instance->routes->update_meta(instance->context);
        server_routes & routes = *instance->routes;
        // The handlers the runner calls; more of server_routes' are there to add by name.
        instance->handlers = {
            {"chat", &routes.post_chat_completions},
            {"embeddings", &routes.post_embeddings_oai},
            {"props", &routes.get_props},
        };
    } catch (const std::exception & e) {
        throw_java(env, "java/lang/IllegalStateException", std::string("llama.cpp could not load the model: ") + e.what());
        return 0;
    }
    return reinterpret_cast<jlong>(instance.release());
}

// The decoding loop: blocks the calling thread until stop().
EXPORT void JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_serve(JNIEnv *, jclass, jlong handle) {
    reinterpret_cast<server *>(handle)->context.start_loop();
}

EXPORT void JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_stop(JNIEnv *, jclass, jlong handle) {
    reinterpret_cast<server *>(handle)->context.terminate();
}

// Frees the model and its context; serve() must have returned.
EXPORT void JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_free(JNIEnv *, jclass, jlong handle) {
    delete reinterpret_cast<server *>(handle);
}

EXPORT jlong JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_exchange(JNIEnv * env, jclass,
                                                                                      jstring handler, jbyteArray body) {
    auto * created = new exchange();
    const char * name = env->GetStringUTFChars(handler, nullptr);
    created->handler = name;
    env->ReleaseStringUTFChars(handler, name);
    created->request.body = to_string(env, body);
    return reinterpret_cast<jlong>(created);
}

// From any thread: the handler sees it at its next poll (llama.cpp checks between tokens).
EXPORT void JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_cancel(JNIEnv *, jclass, jlong handle) {
    reinterpret_cast<exchange *>(handle)->cancelled.store(true);
}

// Runs the exchange's handler: for a whole answer, until it is complete; for a stream, until its
// first event. Returns the HTTP status llama-server would have answered with.
EXPORT jint JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_run(JNIEnv * env, jclass, jlong server_handle,
                                                                                jlong handle) {
    auto * instance = reinterpret_cast<server *>(server_handle);
    auto * ex = reinterpret_cast<exchange *>(handle);
    auto found = instance->handlers.find(ex->handler);
    if (found == instance->handlers.end()) {
        throw_java(env, "java/lang/IllegalArgumentException", "no llama-server handler named " + ex->handler);
        return 0;
    }
    // A handler throws while it reads the request (its JSON, the chat template, the images), before
    // any work is queued: the request could not be made sense of, which llama-server answers with a
    // 500 and the gateway calls a bad request. Failures while decoding come back as error results.
    try {
        ex->response = (*found->second)(ex->request);
    } catch (const std::exception & e) {
        ex->response = error_response(e.what(), ERROR_TYPE_INVALID_REQUEST);
    } catch (...) {
        ex->response = error_response("the request could not be read", ERROR_TYPE_INVALID_REQUEST);
    }
    return ex->response->status;
}

// The next piece of the response: the whole body for an answer, the next SSE event(s) for a stream
// (possibly empty), or null once there is no more.
EXPORT jbyteArray JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_next(JNIEnv * env, jclass, jlong handle) {
    auto * ex = reinterpret_cast<exchange *>(handle);
    if (ex->response == nullptr || ex->ended) {
        return nullptr;
    }
    if (ex->first_read) {
        ex->first_read = false;
        ex->ended = !ex->response->is_stream();
        return to_bytes(env, ex->response->data);
    }
    std::string chunk;
    try {
        ex->ended = !ex->response->next(chunk);
    } catch (const std::exception & e) {
        ex->ended = true;
        chunk = format_oai_sse(json{{"error", format_error_response(e.what(), ERROR_TYPE_SERVER)}});
    }
    return to_bytes(env, chunk);
}

EXPORT void JNICALL Java_io_lmbridge_local_runner_llamacpp_LlamaServerNative_release(JNIEnv *, jclass, jlong handle) {
    auto * ex = reinterpret_cast<exchange *>(handle);
    if (ex->response != nullptr) {
        ex->cancelled.store(true);
        ex->response->on_complete();
    }
    delete ex;
}
