;; Row-block matrix products for the recurrence, z = init + a·V, in wasm SIMD: included into lstm-cell.wat's module
;; by scripts/build-wasm.mjs. A step's h_{t-1}·V is [rows, H]·[H, 4H] forward and dz_t·Vᵀ is [rows, 4H]·[4H, H]
;; backward, with rows a thread's share of the batch: small products, once per step, each step waiting for the last.
;;
;; V is packed once per sequence into panels of 8 columns (`pack`): panel p holds columns 8p … 8p+7 of every row k
;; of V, side by side, at p·K·8 + k·8 floats (a last panel of 4 columns is padded with zeros). A tile of 4 rows × 8
;; columns keeps its 8 accumulators in registers and walks k: per k it loads one packed row of the panel (2 vectors)
;; and broadcasts each row's a[r, k] (v128.load32_splat), 8 multiplies and 8 adds. Pointers are byte offsets; n is
;; a multiple of 4; z and init rows are n floats apart, a rows aStride bytes apart; init 0 means zeros.

  ;; dst ← V [k, n] (rows n floats apart at src) in panels of 8 columns, a last one of 4 padded with zeros.
  (func $pack (param $src i32) (param $k i32) (param $n i32) (param $dst i32)
    (local $col i32) (local $row i32) (local $nBytes i32) (local $from i32)
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $nBytes)))
      (local.set $from (i32.add (local.get $src) (local.get $col)))
      (local.set $row (local.get $k))
      (loop $rows
        (v128.store (local.get $dst) (v128.load (local.get $from)))
        (v128.store offset=16 (local.get $dst)
          (if (result v128) (i32.lt_u (i32.add (local.get $col) (i32.const 16)) (local.get $nBytes))
            (then (v128.load offset=16 (local.get $from)))
            (else (v128.const i32x4 0 0 0 0))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $from (i32.add (local.get $from) (local.get $nBytes)))
        (br_if $rows (local.tee $row (i32.sub (local.get $row) (i32.const 1)))))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels))))

  ;; Floats of packed V: k rows of n columns rounded up to whole panels of 8.
  (func $packedSize (param $k i32) (param $n i32) (result i32)
    (i32.mul (local.get $k) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))

  ;; 8 floats of an init row at `at` (the second 4 zero when the panel has only 4 columns, or no init at all).
  (func $initLow (param $init i32) (param $at i32) (result v128)
    (if (result v128) (local.get $init) (then (v128.load (local.get $at))) (else (v128.const i32x4 0 0 0 0))))
  (func $initHigh (param $init i32) (param $at i32) (param $full i32) (result v128)
    (if (result v128) (i32.and (i32.ne (local.get $init) (i32.const 0)) (local.get $full))
      (then (v128.load offset=16 (local.get $at))) (else (v128.const i32x4 0 0 0 0))))

  ;; z[r, :] = init[r, :] + a[r, 0:k]·V for r = 0 … 3.
  (func $tile4 (param $z i32) (param $init i32) (param $a i32) (param $aStride i32) (param $vp i32) (param $k i32) (param $n i32)
    (local $col i32) (local $nBytes i32) (local $full i32) (local $v i32) (local $ak i32) (local $kk i32) (local $at i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $x v128) (local $v0 v128) (local $v1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $a1 (local.get $aStride))
    (local.set $a2 (i32.shl (local.get $aStride) (i32.const 1)))
    (local.set $a3 (i32.mul (local.get $aStride) (i32.const 3)))
    (local.set $v (local.get $vp))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $nBytes)))
      (local.set $full (i32.lt_u (i32.add (local.get $col) (i32.const 16)) (local.get $nBytes)))
      (local.set $at (i32.add (local.get $init) (local.get $col)))
      (local.set $c00 (call $initLow (local.get $init) (local.get $at)))
      (local.set $c01 (call $initHigh (local.get $init) (local.get $at) (local.get $full)))
      (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
      (local.set $c10 (call $initLow (local.get $init) (local.get $at)))
      (local.set $c11 (call $initHigh (local.get $init) (local.get $at) (local.get $full)))
      (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
      (local.set $c20 (call $initLow (local.get $init) (local.get $at)))
      (local.set $c21 (call $initHigh (local.get $init) (local.get $at) (local.get $full)))
      (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
      (local.set $c30 (call $initLow (local.get $init) (local.get $at)))
      (local.set $c31 (call $initHigh (local.get $init) (local.get $at) (local.get $full)))
      (local.set $ak (local.get $a))
      (local.set $kk (local.get $k))
      (loop $ks
        (local.set $v0 (v128.load (local.get $v)))
        (local.set $v1 (v128.load offset=16 (local.get $v)))
        (local.set $x (v128.load32_splat (local.get $ak)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $v0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $v1))))
        (local.set $x (v128.load32_splat (i32.add (local.get $ak) (local.get $a1))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $v0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $v1))))
        (local.set $x (v128.load32_splat (i32.add (local.get $ak) (local.get $a2))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $v0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $v1))))
        (local.set $x (v128.load32_splat (i32.add (local.get $ak) (local.get $a3))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $v0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $v1))))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (local.set $ak (i32.add (local.get $ak) (i32.const 4)))
        (br_if $ks (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))
      (local.set $at (i32.add (local.get $z) (local.get $col)))
      (call $store8 (local.get $at) (local.get $c00) (local.get $c01) (local.get $full))
      (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
      (call $store8 (local.get $at) (local.get $c10) (local.get $c11) (local.get $full))
      (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
      (call $store8 (local.get $at) (local.get $c20) (local.get $c21) (local.get $full))
      (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
      (call $store8 (local.get $at) (local.get $c30) (local.get $c31) (local.get $full))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels))))

  ;; z[0, :] = init[0, :] + a[0, 0:k]·V: one row, for the rows left over after the tiles of 4.
  (func $tile1 (param $z i32) (param $init i32) (param $a i32) (param $vp i32) (param $k i32) (param $n i32)
    (local $col i32) (local $nBytes i32) (local $full i32) (local $v i32) (local $ak i32) (local $kk i32) (local $at i32)
    (local $x v128) (local $c0 v128) (local $c1 v128)
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $v (local.get $vp))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $nBytes)))
      (local.set $full (i32.lt_u (i32.add (local.get $col) (i32.const 16)) (local.get $nBytes)))
      (local.set $at (i32.add (local.get $init) (local.get $col)))
      (local.set $c0 (call $initLow (local.get $init) (local.get $at)))
      (local.set $c1 (call $initHigh (local.get $init) (local.get $at) (local.get $full)))
      (local.set $ak (local.get $a))
      (local.set $kk (local.get $k))
      (loop $ks
        (local.set $x (v128.load32_splat (local.get $ak)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $x) (v128.load (local.get $v)))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $v)))))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (local.set $ak (i32.add (local.get $ak) (i32.const 4)))
        (br_if $ks (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))
      (call $store8 (i32.add (local.get $z) (local.get $col)) (local.get $c0) (local.get $c1) (local.get $full))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels))))

  (func $store8 (param $at i32) (param $low v128) (param $high v128) (param $full i32)
    (v128.store (local.get $at) (local.get $low))
    (if (local.get $full) (then (v128.store offset=16 (local.get $at) (local.get $high)))))

  ;; z = init + a·V for `rows` rows: tiles of 4, then single rows.
  (func $matmulRows (param $z i32) (param $init i32) (param $a i32) (param $aStride i32) (param $vp i32)
    (param $rows i32) (param $k i32) (param $n i32)
    (local $tileBytes i32)
    (local.set $tileBytes (i32.shl (local.get $n) (i32.const 4))) ;; 4 rows of n floats
    (block $tilesDone (loop $tiles
      (br_if $tilesDone (i32.lt_u (local.get $rows) (i32.const 4)))
      (call $tile4 (local.get $z) (local.get $init) (local.get $a) (local.get $aStride) (local.get $vp) (local.get $k) (local.get $n))
      (local.set $z (i32.add (local.get $z) (local.get $tileBytes)))
      (if (local.get $init) (then (local.set $init (i32.add (local.get $init) (local.get $tileBytes)))))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aStride) (i32.const 2))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 4)))
      (br $tiles)))
    (block $rowsDone (loop $single
      (br_if $rowsDone (i32.eqz (local.get $rows)))
      (call $tile1 (local.get $z) (local.get $init) (local.get $a) (local.get $vp) (local.get $k) (local.get $n))
      (local.set $z (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 2))))
      (if (local.get $init) (then (local.set $init (i32.add (local.get $init) (i32.shl (local.get $n) (i32.const 2))))))
      (local.set $a (i32.add (local.get $a) (local.get $aStride)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $single))))
