;; Matrix products by blocks of rows, z = init + [a1 | a2]·W, in wasm SIMD: included into lstm-cell.wat's module by
;; scripts/build-wasm.mjs. In the recurrence, per step and block of 4 rows (or 1): forward z = b + x_t·U + h_{t-1}·V
;; is [rows, I + H]·[U; V], backward dz_t·Vᵀ is [rows, 4H]·[4H, H]: small products, each step waiting for the last.
;; The two sources a1, a2 (k1 and k2 columns) are read where they are: x_t in x, h_{t-1} in the outputs, never copied
;; side by side. After the backward loop, the weight gradients' product dZᵀ·[X | H_prev | 1] is one large product
;; by the same tiles.
;;
;; W is packed once per sequence into panels of 8 columns (`pack`): panel p holds columns 8p … 8p+7 of every row k
;; of W, side by side, at p·kw·8 + k·8 floats (a last, narrower panel is padded with zeros). A tile of 4 rows × 8
;; columns keeps its 8 accumulators in registers and walks k: per k it loads one packed row of the panel (2 vectors)
;; and broadcasts each row's a[r, k] (v128.load32_splat), 8 multiplies and 8 adds. A product may use the first
;; k1 + k2 of a panel's kw rows (step 0 has no h_{-1}·V). Pointers are byte offsets; z rows are n floats apart, init
;; rows initStride bytes apart (0: one row for all, as a bias), a rows aStride bytes apart; init 0 means zeros.

  ;; dst ← [W1; W2] (k1 rows of W1, then k2 of W2, both rows of n floats) in panels of 8 columns, a last one padded
  ;; with zeros.
  (func $pack (param $dst i32) (param $n i32) (param $w1 i32) (param $k1 i32) (param $w2 i32) (param $k2 i32)
    (local $col i32) (local $nBytes i32)
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $nBytes)))
      (local.set $dst (call $packRows (local.get $dst) (i32.add (local.get $w1) (local.get $col)) (local.get $k1) (local.get $col) (local.get $nBytes)))
      (local.set $dst (call $packRows (local.get $dst) (i32.add (local.get $w2) (local.get $col)) (local.get $k2) (local.get $col) (local.get $nBytes)))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels))))

  ;; k rows of one panel (from the panel's first column at `from`, rows nBytes apart) to dst; returns dst after them.
  (func $packRows (param $dst i32) (param $from i32) (param $k i32) (param $col i32) (param $nBytes i32) (result i32)
    (local $count i32) (local $low v128) (local $high v128)
    (local.set $count (i32.shr_u (i32.sub (local.get $nBytes) (local.get $col)) (i32.const 2))) ;; columns left
    (block $done (loop $rows
      (br_if $done (i32.eqz (local.get $k)))
      (if (i32.ge_u (local.get $count) (i32.const 8))
        (then (local.set $low (v128.load (local.get $from))) (local.set $high (v128.load offset=16 (local.get $from))))
        (else (call $load8 (i32.const 1) (local.get $from) (local.get $count)) (local.set $high) (local.set $low)))
      (v128.store (local.get $dst) (local.get $low))
      (v128.store offset=16 (local.get $dst) (local.get $high))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (local.set $from (i32.add (local.get $from) (local.get $nBytes)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $rows)))
    (local.get $dst))

  ;; Floats of packed W: k rows of n columns rounded up to whole panels of 8.
  (func $packedSize (param $k i32) (param $n i32) (result i32)
    (i32.mul (local.get $k) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))

  ;; The first `count` floats at `at` (all 4 when count ≥ 4; none when count ≤ 0, or no init), the other lanes 0:
  ;; a panel's last columns are read and written exactly, never past its row.
  (func $loadPart (param $init i32) (param $at i32) (param $count i32) (result v128)
    (local $v v128)
    (if (i32.or (i32.eqz (local.get $init)) (i32.le_s (local.get $count) (i32.const 0))) (then (return (local.get $v))))
    (if (i32.ge_s (local.get $count) (i32.const 4)) (then (return (v128.load (local.get $at)))))
    (local.set $v (f32x4.replace_lane 0 (local.get $v) (f32.load (local.get $at))))
    (if (i32.ge_s (local.get $count) (i32.const 2)) (then
      (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $at))))))
    (if (i32.ge_s (local.get $count) (i32.const 3)) (then
      (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $at))))))
    (local.get $v))

  (func $storePart (param $at i32) (param $v v128) (param $count i32)
    (if (i32.ge_s (local.get $count) (i32.const 4)) (then (v128.store (local.get $at) (local.get $v)) (return)))
    (if (i32.ge_s (local.get $count) (i32.const 1)) (then (f32.store (local.get $at) (f32x4.extract_lane 0 (local.get $v)))))
    (if (i32.ge_s (local.get $count) (i32.const 2)) (then (f32.store offset=4 (local.get $at) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_s (local.get $count) (i32.const 3)) (then (f32.store offset=8 (local.get $at) (f32x4.extract_lane 2 (local.get $v))))))

  ;; 8 floats of a row at `at`, of which `count` are there (the rest 0), and back.
  (func $load8 (param $init i32) (param $at i32) (param $count i32) (result v128 v128)
    (call $loadPart (local.get $init) (local.get $at) (local.get $count))
    (call $loadPart (local.get $init) (i32.add (local.get $at) (i32.const 16)) (i32.sub (local.get $count) (i32.const 4))))
  (func $store8 (param $at i32) (param $low v128) (param $high v128) (param $count i32)
    (call $storePart (local.get $at) (local.get $low) (local.get $count))
    (call $storePart (i32.add (local.get $at) (i32.const 16)) (local.get $high) (i32.sub (local.get $count) (i32.const 4))))

  ;; z[r, :] = init[r, :] + [a1 | a2][r, :]·W for r = 0 … 3 (k1 + k2 ≥ 1).
  (func $tile4 (param $z i32) (param $init i32) (param $initStride i32)
    (param $a1 i32) (param $a1Stride i32) (param $k1 i32) (param $a2 i32) (param $a2Stride i32) (param $k2 i32)
    (param $wp i32) (param $kw i32) (param $n i32)
    (local $col i32) (local $nBytes i32) (local $count i32) (local $w i32) (local $ak i32) (local $kk i32) (local $at i32)
    (local $source i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $x v128) (local $w0 v128) (local $w1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $nBytes)))
      (local.set $w (i32.add (local.get $wp) (i32.mul (local.get $col) (local.get $kw)))) ;; panel col/32, kw rows of 32 bytes
      (local.set $count (i32.shr_u (i32.sub (local.get $nBytes) (local.get $col)) (i32.const 2))) ;; columns left
      ;; the accumulators start from init (or 0): whole panels loaded directly, a last narrower one through load8
      (local.set $at (i32.add (local.get $init) (local.get $col)))
      (if (i32.eqz (local.get $init)) (then
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0)))
      (else (if (i32.ge_u (local.get $count) (i32.const 8)) (then
        (local.set $c00 (v128.load (local.get $at)))
        (local.set $c01 (v128.load offset=16 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $initStride)))
        (local.set $c10 (v128.load (local.get $at)))
        (local.set $c11 (v128.load offset=16 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $initStride)))
        (local.set $c20 (v128.load (local.get $at)))
        (local.set $c21 (v128.load offset=16 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $initStride)))
        (local.set $c30 (v128.load (local.get $at)))
        (local.set $c31 (v128.load offset=16 (local.get $at)))) (else
        (call $load8 (local.get $init) (local.get $at) (local.get $count))
        (local.set $c01)
        (local.set $c00)
        (local.set $at (i32.add (local.get $at) (local.get $initStride)))
        (call $load8 (local.get $init) (local.get $at) (local.get $count))
        (local.set $c11)
        (local.set $c10)
        (local.set $at (i32.add (local.get $at) (local.get $initStride)))
        (call $load8 (local.get $init) (local.get $at) (local.get $count))
        (local.set $c21)
        (local.set $c20)
        (local.set $at (i32.add (local.get $at) (local.get $initStride)))
        (call $load8 (local.get $init) (local.get $at) (local.get $count))
        (local.set $c31)
        (local.set $c30)))))
      ;; source 1 (a1, k1 columns), then source 2
      (local.set $source (i32.const 0))
      (loop $sources
        (local.set $ak (select (local.get $a2) (local.get $a1) (local.get $source)))
        (local.set $r1 (select (local.get $a2Stride) (local.get $a1Stride) (local.get $source)))
        (local.set $kk (select (local.get $k2) (local.get $k1) (local.get $source)))
        (local.set $r2 (i32.shl (local.get $r1) (i32.const 1)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $r1)))
        (if (local.get $kk) (then (loop $ks
          (local.set $w0 (v128.load (local.get $w)))
          (local.set $w1 (v128.load offset=16 (local.get $w)))
          (local.set $x (v128.load32_splat (local.get $ak)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $w0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $w1))))
          (local.set $x (v128.load32_splat (i32.add (local.get $ak) (local.get $r1))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $w0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $w1))))
          (local.set $x (v128.load32_splat (i32.add (local.get $ak) (local.get $r2))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $w0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $w1))))
          (local.set $x (v128.load32_splat (i32.add (local.get $ak) (local.get $r3))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $w0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $w1))))
          (local.set $w (i32.add (local.get $w) (i32.const 32)))
          (local.set $ak (i32.add (local.get $ak) (i32.const 4)))
          (br_if $ks (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))))
        (local.set $source (i32.add (local.get $source) (i32.const 1)))
        (br_if $sources (i32.lt_u (local.get $source) (i32.const 2))))
      (local.set $at (i32.add (local.get $z) (local.get $col)))
      (if (i32.ge_u (local.get $count) (i32.const 8)) (then
        (v128.store (local.get $at) (local.get $c00))
        (v128.store offset=16 (local.get $at) (local.get $c01))
        (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
        (v128.store (local.get $at) (local.get $c10))
        (v128.store offset=16 (local.get $at) (local.get $c11))
        (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
        (v128.store (local.get $at) (local.get $c20))
        (v128.store offset=16 (local.get $at) (local.get $c21))
        (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
        (v128.store (local.get $at) (local.get $c30))
        (v128.store offset=16 (local.get $at) (local.get $c31))) (else
        (call $store8 (local.get $at) (local.get $c00) (local.get $c01) (local.get $count))
        (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
        (call $store8 (local.get $at) (local.get $c10) (local.get $c11) (local.get $count))
        (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
        (call $store8 (local.get $at) (local.get $c20) (local.get $c21) (local.get $count))
        (local.set $at (i32.add (local.get $at) (local.get $nBytes)))
        (call $store8 (local.get $at) (local.get $c30) (local.get $c31) (local.get $count))))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels))))

  ;; z[0, :] = init[0, :] + [a1 | a2][0, :]·W: one row, for the rows left over after the tiles of 4.
  (func $tile1 (param $z i32) (param $init i32) (param $a1 i32) (param $k1 i32) (param $a2 i32) (param $k2 i32)
    (param $wp i32) (param $kw i32) (param $n i32)
    (local $col i32) (local $nBytes i32) (local $count i32) (local $w i32) (local $ak i32) (local $kk i32) (local $at i32)
    (local $source i32) (local $x v128) (local $c0 v128) (local $c1 v128)
    (local.set $nBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $nBytes)))
      (local.set $w (i32.add (local.get $wp) (i32.mul (local.get $col) (local.get $kw)))) ;; panel col/32, kw rows of 32 bytes
      (local.set $count (i32.shr_u (i32.sub (local.get $nBytes) (local.get $col)) (i32.const 2))) ;; columns left
      (local.set $at (i32.add (local.get $init) (local.get $col)))
      (call $load8 (local.get $init) (local.get $at) (local.get $count))
      (local.set $c1)
      (local.set $c0)
      (local.set $source (i32.const 0))
      (loop $sources
        (local.set $ak (select (local.get $a2) (local.get $a1) (local.get $source)))
        (local.set $kk (select (local.get $k2) (local.get $k1) (local.get $source)))
        (if (local.get $kk) (then (loop $ks
          (local.set $x (v128.load32_splat (local.get $ak)))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $x) (v128.load (local.get $w)))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $w)))))
          (local.set $w (i32.add (local.get $w) (i32.const 32)))
          (local.set $ak (i32.add (local.get $ak) (i32.const 4)))
          (br_if $ks (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))))
        (local.set $source (i32.add (local.get $source) (i32.const 1)))
        (br_if $sources (i32.lt_u (local.get $source) (i32.const 2))))
      (call $store8 (i32.add (local.get $z) (local.get $col)) (local.get $c0) (local.get $c1) (local.get $count))
      (local.set $col (i32.add (local.get $col) (i32.const 32)))
      (br $panels))))

  ;; z = init + [a1 | a2]·W for `rows` rows: tiles of 4, then single rows.
  (func $matmulRows (param $z i32) (param $init i32) (param $initStride i32)
    (param $a1 i32) (param $a1Stride i32) (param $k1 i32) (param $a2 i32) (param $a2Stride i32) (param $k2 i32)
    (param $wp i32) (param $kw i32) (param $rows i32) (param $n i32)
    (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $tilesDone (loop $tiles
      (br_if $tilesDone (i32.lt_u (local.get $rows) (i32.const 4)))
      (call $tile4 (local.get $z) (local.get $init) (local.get $initStride) (local.get $a1) (local.get $a1Stride) (local.get $k1)
        (local.get $a2) (local.get $a2Stride) (local.get $k2) (local.get $wp) (local.get $kw) (local.get $n))
      (local.set $z (i32.add (local.get $z) (i32.shl (local.get $rowBytes) (i32.const 2))))
      (if (local.get $init) (then (local.set $init (i32.add (local.get $init) (i32.shl (local.get $initStride) (i32.const 2))))))
      (local.set $a1 (i32.add (local.get $a1) (i32.shl (local.get $a1Stride) (i32.const 2))))
      (local.set $a2 (i32.add (local.get $a2) (i32.shl (local.get $a2Stride) (i32.const 2))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 4)))
      (br $tiles)))
    (block $rowsDone (loop $single
      (br_if $rowsDone (i32.eqz (local.get $rows)))
      (call $tile1 (local.get $z) (local.get $init) (local.get $a1) (local.get $k1) (local.get $a2) (local.get $k2)
        (local.get $wp) (local.get $kw) (local.get $n))
      (local.set $z (i32.add (local.get $z) (local.get $rowBytes)))
      (if (local.get $init) (then (local.set $init (i32.add (local.get $init) (local.get $initStride)))))
      (local.set $a1 (i32.add (local.get $a1) (local.get $a1Stride)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $a2Stride)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $single))))
