;; A tiny module that speaks OPA's Wasm ABI 1.1, written for change-gate's tests (it is not an
;; OPA-compiled policy). Values are kept as NUL-terminated JSON text: opa_json_parse copies the
;; text, opa_json_dump returns it as it is. Entrypoints:
;;   0 example/echo               -> [{"result":{"input":<input>,"data":<data>}}]
;;   1 change_gate/main/decision  -> [{"result":<data.decision>}] where data is {"decision": ...}
;;                                   (the whole data text is returned when it has no wrapper)
;;   2 example/undefined          -> []
;;   3 example/abort              -> calls opa_abort, as a policy does on an internal error
;;   4 example/builtin            -> [{"result":<upper(input)>}] through opa_builtin1
(module
  (import "env" "memory" (memory 2))
  (import "env" "opa_abort" (func $abort (param i32)))
  (import "env" "opa_builtin1" (func $builtin1 (param i32 i32 i32) (result i32)))
  (global $heap (mut i32) (i32.const 8192))
  (global (export "opa_wasm_abi_version") i32 (i32.const 1))
  (global (export "opa_wasm_abi_minor_version") i32 (i32.const 1))
  (data (i32.const 16) "{\"upper\":0}\00")
  (data (i32.const 64) "{\"example/echo\":0,\"change_gate/main/decision\":1,\"example/undefined\":2,\"example/abort\":3,\"example/builtin\":4}\00")
  (data (i32.const 256) "[{\"result\":{\"input\":\00")
  (data (i32.const 288) ",\"data\":\00")
  (data (i32.const 304) "}}]\00")
  (data (i32.const 312) "[]\00")
  (data (i32.const 320) "[{\"result\":\00")
  (data (i32.const 336) "}]\00")
  (data (i32.const 344) "null\00")
  (data (i32.const 352) "example/abort: policy aborted on purpose\00")
  (data (i32.const 400) "{\"decision\":\00")

  ;; the evaluation context lives at 1024: input, data, entrypoint, result (4 bytes each)
  (func $malloc (export "opa_malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $n) (i32.const 1))))
    (local.get $p))
  (func (export "opa_free") (param i32))
  (func (export "opa_heap_ptr_get") (result i32) (global.get $heap))
  (func (export "opa_heap_ptr_set") (param $p i32) (global.set $heap (local.get $p)))

  (func $strlen (param $s i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $s) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; copies $n bytes from $src to $dst and returns $dst + $n
  (func $copy (param $dst i32) (param $src i32) (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $dst) (local.get $i)) (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.add (local.get $dst) (local.get $n)))

  ;; appends the NUL-terminated string $src at $dst; returns the new end
  (func $append (param $dst i32) (param $src i32) (result i32)
    (call $copy (local.get $dst) (local.get $src) (call $strlen (local.get $src))))

  (func (export "opa_json_parse") (param $a i32) (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (call $malloc (local.get $n)))
    (i32.store8 (call $copy (local.get $p) (local.get $a) (local.get $n)) (i32.const 0))
    (local.get $p))
  (func (export "opa_json_dump") (param $v i32) (result i32) (local.get $v))
  (func (export "opa_value_dump") (param $v i32) (result i32) (local.get $v))
  (func (export "builtins") (result i32) (i32.const 16))
  (func (export "entrypoints") (result i32) (i32.const 64))

  (func (export "opa_eval_ctx_new") (result i32)
    (i32.store (i32.const 1024) (i32.const 344))
    (i32.store (i32.const 1028) (i32.const 344))
    (i32.store (i32.const 1032) (i32.const 0))
    (i32.store (i32.const 1036) (i32.const 312))
    (i32.const 1024))
  (func (export "opa_eval_ctx_set_input") (param $c i32) (param $v i32)
    (if (local.get $v) (then (i32.store (local.get $c) (local.get $v)))))
  (func (export "opa_eval_ctx_set_data") (param $c i32) (param $v i32)
    (if (local.get $v) (then (i32.store offset=4 (local.get $c) (local.get $v)))))
  (func (export "opa_eval_ctx_set_entrypoint") (param $c i32) (param $e i32)
    (i32.store offset=8 (local.get $c) (local.get $e)))
  (func (export "opa_eval_ctx_get_result") (param $c i32) (result i32)
    (i32.load offset=12 (local.get $c)))

  ;; data {"decision":X} -> X (the text between the wrapper and the last brace)
  (func $unwrap_decision (param $d i32) (result i32)
    (local $n i32) (local $p i32)
    (local.set $n (call $strlen (local.get $d)))
    (if (i32.ne (i32.load8_u (i32.add (local.get $d) (i32.const 1))) (i32.const 34)) ;; not {" -> whole text
      (then (return (local.get $d))))
    (local.set $p (call $malloc (local.get $n)))
    (i32.store8
      (call $copy (local.get $p) (i32.add (local.get $d) (i32.const 12)) (i32.sub (local.get $n) (i32.const 13)))
      (i32.const 0))
    (local.get $p))

  (func (export "eval") (param $c i32) (result i32)
    (local $e i32) (local $out i32) (local $end i32) (local $arg i32)
    (local.set $e (i32.load offset=8 (local.get $c)))
    ;; work that allocates comes first, so the output below is written past it
    (if (i32.eq (local.get $e) (i32.const 1))
      (then (local.set $arg (call $unwrap_decision (i32.load offset=4 (local.get $c))))))
    (if (i32.eq (local.get $e) (i32.const 4))
      (then (local.set $arg (call $builtin1 (i32.const 0) (i32.const 0) (i32.load (local.get $c))))))
    (if (i32.eq (local.get $e) (i32.const 3)) (then (call $abort (i32.const 352))))
    (if (i32.eq (local.get $e) (i32.const 2))
      (then (i32.store offset=12 (local.get $c) (i32.const 312)) (return (i32.const 0))))
    (local.set $out (global.get $heap))
    (if (i32.eq (local.get $e) (i32.const 0))
      (then
        (local.set $end (call $append (local.get $out) (i32.const 256)))
        (local.set $end (call $append (local.get $end) (i32.load (local.get $c))))
        (local.set $end (call $append (local.get $end) (i32.const 288)))
        (local.set $end (call $append (local.get $end) (i32.load offset=4 (local.get $c))))
        (local.set $end (call $append (local.get $end) (i32.const 304)))))
    (if (i32.eq (local.get $e) (i32.const 1))
      (then
        (local.set $end (call $append (local.get $out) (i32.const 320)))
        (local.set $end (call $append (local.get $end) (local.get $arg)))
        (local.set $end (call $append (local.get $end) (i32.const 336)))))
    (if (i32.eq (local.get $e) (i32.const 4))
      (then
        (local.set $end (call $append (local.get $out) (i32.const 320)))
        (local.set $end (call $append (local.get $end) (local.get $arg)))
        (local.set $end (call $append (local.get $end) (i32.const 336)))))
    (i32.store8 (local.get $end) (i32.const 0))
    (global.set $heap (i32.add (local.get $end) (i32.const 1)))
    (i32.store offset=12 (local.get $c) (local.get $out))
    (i32.const 0))
)
