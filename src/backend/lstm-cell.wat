;; The LSTM recurrence in wasm SIMD (4 floats a lane group): whole sequences forward and backward, for a range of
;; the batch's rows (lstm-sequence.wat), each step a product with the weights (matmul.wat) and the rows' cells
;; (here). Same equations as src/models/lstm-fused.ts; run by src/backend/wasm-lstm-sequence.ts on the wasm
;; backend's own heap (this module imports tfjs's memory; scripts/build-wasm.mjs splices in the included files and
;; builds a shared-memory variant for the threaded build, which src/backend/row-threads.ts also runs on worker
;; threads). Pointers are byte offsets into that heap; every row length (hidden) is a multiple of 4.
;;
;; Layout (f32, row-major): a row of z, s, dz is [4H] with gate blocks i, f, g, o; a state row is [H].
;; The g block of z is pre-scaled by 2 (lstm-fused.ts), so one sigmoid serves all four gates: g = 2σ(2z_g) − 1.
(module
  (import "env" "memory" (memory 1))

  ;; Constants, four lanes each (of σ, from xMax on).
  (global $one v128 (v128.const f32x4 1 1 1 1))
  (global $two v128 (v128.const f32x4 2 2 2 2))
  (global $four v128 (v128.const f32x4 4 4 4 4))
  (global $xMax v128 (v128.const f32x4 80 80 80 80))
  (global $xMin v128 (v128.const f32x4 -80 -80 -80 -80))
  (global $log2e v128 (v128.const f32x4 1.44269504089 1.44269504089 1.44269504089 1.44269504089))
  (global $roundBias v128 (v128.const f32x4 12583039 12583039 12583039 12583039)) ;; 1.5·2^23 + 127
  (global $ln2hi v128 (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))
  (global $ln2lo v128 (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))
  (global $p0 v128 (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
  (global $p1 v128 (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3))
  (global $p2 v128 (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3))
  (global $p3 v128 (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2))
  (global $p4 v128 (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1))
  (global $p5 v128 (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1))

  ;; dst[0:n] = σ(a + b) (b = 0: σ(a)) over n floats, n a multiple of 4; dst may be a.
  ;; σ(z) = 1 / (1 + e^x) with x = −z, and e^x as in Cephes' expf: x = m·ln2 + r with m an integer and
  ;; |r| ≤ ln2/2, e^r by a degree-7 polynomial (relative error ~1e-7), e^x = e^r·2^m. Adding roundBias rounds
  ;; x·log2e to the integer m and leaves m + 127 in the float's low bits (XNNPACK's trick): shifted into the
  ;; exponent field, they are 2^m. x is clamped to ±80 so that 2^m and e^x stay normal floats: for z > 80, σ is 1
  ;; to float precision (e^−80 < 2^−115); for z < −80 it stays at σ(−80) ≈ 1.8e-35 instead of going nearer 0, an
  ;; absolute error below 2e-35. pmin/pmax are the plain SSE min/max, which σ can use (no NaN here).
  (func $sigmoid (param $dst i32) (param $a i32) (param $b i32) (param $n i32)
    (local $end i32) (local $x v128) (local $m v128) (local $r v128) (local $q v128) (local $twoM v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (local.set $x (v128.load (local.get $a)))
      (if (local.get $b) (then
        (local.set $x (f32x4.add (local.get $x) (v128.load (local.get $b))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))))
      (local.set $x (f32x4.pmax (f32x4.pmin (f32x4.neg (local.get $x)) (global.get $xMax)) (global.get $xMin)))
      (local.set $m (f32x4.add (f32x4.mul (local.get $x) (global.get $log2e)) (global.get $roundBias)))
      (local.set $twoM (i32x4.shl (local.get $m) (i32.const 23)))
      (local.set $m (f32x4.sub (local.get $m) (global.get $roundBias)))
      ;; r = x − m·ln2, with ln2 = ln2hi + ln2lo in two parts (Cody–Waite), so that m·ln2hi is exact
      (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $m) (global.get $ln2hi)))
        (f32x4.mul (local.get $m) (global.get $ln2lo))))
      ;; e^r = 1 + r + r²·q(r)
      (local.set $q (f32x4.add (f32x4.mul (global.get $p0) (local.get $r)) (global.get $p1)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (global.get $p2)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (global.get $p3)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (global.get $p4)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (global.get $p5)))
      (local.set $q (f32x4.add (f32x4.add (f32x4.mul (local.get $q) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
        (global.get $one)))
      ;; σ = 1 / (1 + e^r·2^m)
      (v128.store (local.get $dst)
        (f32x4.div (global.get $one) (f32x4.add (global.get $one) (f32x4.mul (local.get $q) (local.get $twoM)))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (br $next))))

  ;; 1 when row b of the mask is a real step at t (or there is no mask), else 0, as a lane mask.
  (func $keep (param $mask i32) (param $b i32) (param $t i32) (param $time i32) (result v128)
    (if (i32.eqz (local.get $mask)) (then (return (v128.const i32x4 -1 -1 -1 -1))))
    (i32x4.splat (i32.sub (i32.const 0)
      (f32.gt (f32.load (i32.add (local.get $mask) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $t)) (i32.const 2))))
        (f32.const 0.5)))))

  ;; One row forward at one step, from z (the row's x_t·U + b + h_{t-1}·V; it may be s itself):
  ;;   s = σ(z),  g = 2s_g − 1,  c = f⊙c_{t-1} + i⊙g,  tanh(c) = 2σ(2c) − 1,  h = o⊙tanh(c);
  ;; at padding (keep 0) h and c carry over. Writes s, c (which may be cPrev: updated in place), h, tanh(c), and h
  ;; again at hCopy when that is not 0; cNew is scratch (the new c before the carry-over).
  (func $forwardRow (param $s i32) (param $z i32) (param $cPrev i32) (param $hPrev i32) (param $keep v128)
    (param $hidden i32) (param $c i32) (param $h i32) (param $tanhC i32) (param $cNew i32) (param $hCopy i32)
    (local $j i32) (local $rowBytes i32) (local $at i32) (local $tc v128) (local $hNew v128)
    (local.set $rowBytes (i32.shl (local.get $hidden) (i32.const 2)))
    (call $sigmoid (local.get $s) (local.get $z) (i32.const 0) (i32.shl (local.get $hidden) (i32.const 2)))
    (block $cellDone (loop $cell
      (br_if $cellDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
      (local.set $at (i32.add (local.get $s) (local.get $j))) ;; s_i at j
      (v128.store (i32.add (local.get $cNew) (local.get $j)) (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $at) (local.get $rowBytes))) (v128.load (i32.add (local.get $cPrev) (local.get $j))))
        (f32x4.mul (v128.load (local.get $at)) (f32x4.sub
          (f32x4.mul (v128.load (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 1)))) (global.get $two))
          (global.get $one)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $cell)))
    (call $sigmoid (local.get $tanhC) (local.get $cNew) (local.get $cNew) (local.get $hidden)) ;; σ(2c)
    (local.set $j (i32.const 0))
    (block $outDone (loop $out
      (br_if $outDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
      (local.set $tc (f32x4.sub (f32x4.mul (v128.load (i32.add (local.get $tanhC) (local.get $j))) (global.get $two))
        (global.get $one)))
      (v128.store (i32.add (local.get $tanhC) (local.get $j)) (local.get $tc))
      (v128.store (i32.add (local.get $c) (local.get $j)) (v128.bitselect (v128.load (i32.add (local.get $cNew) (local.get $j)))
        (v128.load (i32.add (local.get $cPrev) (local.get $j))) (local.get $keep)))
      (local.set $hNew (v128.bitselect
        (f32x4.mul (v128.load (i32.add (local.get $s) (i32.add (local.get $j) (i32.mul (local.get $rowBytes) (i32.const 3))))) (local.get $tc))
        (v128.load (i32.add (local.get $hPrev) (local.get $j))) (local.get $keep)))
      (v128.store (i32.add (local.get $h) (local.get $j)) (local.get $hNew))
      (if (local.get $hCopy) (then (v128.store (i32.add (local.get $hCopy) (local.get $j)) (local.get $hNew))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $out))))

  ;; One row back at one step, with dh = dOut + dhNext and σ' = s(1 − s):
  ;;   u = dc + dh⊙o⊙(1 − tanh²c)                      everything reaching c_t
  ;;   dz = [u⊙g⊙σ'_i, u⊙c_{t-1}⊙σ'_f, u⊙i⊙4σ'_g, dh⊙tanh(c)⊙σ'_o],   dc_{t-1} = u⊙f
  ;; into dz [4H]. At padding (keep 0) dz is 0 and dc passes on unchanged; dhPass (when not 0) gets dh there, else
  ;; 0. dcPrev may be dcIn (updated in place).
  (func $backwardRow (param $dOut i32) (param $dhNext i32) (param $dcIn i32) (param $gates i32) (param $tanhC i32)
    (param $cPrev i32) (param $keep v128) (param $hidden i32) (param $dz i32) (param $dcPrev i32) (param $dhPass i32)
    (local $j i32) (local $rowBytes i32) (local $g i32)
    (local $dh v128) (local $i v128) (local $f v128) (local $sg v128) (local $o v128) (local $tc v128)
    (local $u v128) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $hidden) (i32.const 2)))
    (block $colsDone (loop $cols
      (br_if $colsDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
      (local.set $dh (f32x4.add (v128.load (i32.add (local.get $dOut) (local.get $j)))
        (v128.load (i32.add (local.get $dhNext) (local.get $j)))))
      (local.set $g (i32.add (local.get $gates) (local.get $j))) ;; gate i at j
      (local.set $i (v128.load (local.get $g)))
      (local.set $f (v128.load (i32.add (local.get $g) (local.get $rowBytes))))
      (local.set $sg (v128.load (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1)))))
      (local.set $o (v128.load (i32.add (local.get $g) (i32.mul (local.get $rowBytes) (i32.const 3)))))
      (local.set $tc (v128.load (i32.add (local.get $tanhC) (local.get $j))))
      ;; u = dc + dh⊙o⊙(1 − tc²), zero at padding (so is every dz below)
      (local.set $u (v128.and (local.get $keep) (f32x4.add (v128.load (i32.add (local.get $dcIn) (local.get $j)))
        (f32x4.mul (f32x4.mul (local.get $dh) (local.get $o)) (f32x4.sub (global.get $one) (f32x4.mul (local.get $tc) (local.get $tc)))))))
      (local.set $g (i32.add (local.get $dz) (local.get $j))) ;; dz_i at j
      ;; dz_i = u⊙(2s_g − 1)⊙i(1 − i)
      (v128.store (local.get $g)
        (f32x4.mul (f32x4.mul (local.get $u) (f32x4.sub (f32x4.add (local.get $sg) (local.get $sg)) (global.get $one)))
          (f32x4.mul (local.get $i) (f32x4.sub (global.get $one) (local.get $i)))))
      ;; dz_f = u⊙c_{t-1}⊙f(1 − f)
      (v128.store (i32.add (local.get $g) (local.get $rowBytes))
        (f32x4.mul (f32x4.mul (local.get $u) (v128.load (i32.add (local.get $cPrev) (local.get $j))))
          (f32x4.mul (local.get $f) (f32x4.sub (global.get $one) (local.get $f)))))
      ;; dz_g = u⊙i⊙4s_g(1 − s_g)
      (v128.store (i32.add (local.get $g) (i32.shl (local.get $rowBytes) (i32.const 1)))
        (f32x4.mul (f32x4.mul (local.get $u) (local.get $i))
          (f32x4.mul (f32x4.mul (global.get $four) (local.get $sg)) (f32x4.sub (global.get $one) (local.get $sg)))))
      ;; dz_o = dh⊙tc⊙o(1 − o)
      (v128.store (i32.add (local.get $g) (i32.mul (local.get $rowBytes) (i32.const 3)))
        (v128.and (local.get $keep)
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $tc)) (f32x4.mul (local.get $o) (f32x4.sub (global.get $one) (local.get $o))))))
      ;; dc_{t-1} = u⊙f, or dc itself at padding; dhPass = dh at padding, else 0
      (v128.store (i32.add (local.get $dcPrev) (local.get $j))
        (v128.bitselect (f32x4.mul (local.get $u) (local.get $f)) (v128.load (i32.add (local.get $dcIn) (local.get $j))) (local.get $keep)))
      (if (local.get $dhPass) (then
        (v128.store (i32.add (local.get $dhPass) (local.get $j)) (v128.andnot (local.get $dh) (local.get $keep)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $cols))))

  ;; dst[0:bytes] = src[0:bytes], bytes a multiple of 16.
  (func $copy (param $dst i32) (param $src i32) (param $bytes i32)
    (local $j i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
      (v128.store (i32.add (local.get $dst) (local.get $j)) (v128.load (i32.add (local.get $src) (local.get $j))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $next))))

  ;; dst[0:n] = 0 for n floats (no alignment needed).
  (func $zeroFloats (param $dst i32) (param $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (f32.store (local.get $dst) (f32.const 0))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))

  ;; dst[0:bytes] = 0, bytes a multiple of 16.
  (func $zero (param $dst i32) (param $bytes i32)
    (local $j i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
      (v128.store (i32.add (local.get $dst) (local.get $j)) (v128.const i32x4 0 0 0 0))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $next))))

  ;; dst[c, r] = src[r, c] for src [rows, cols] (cols a multiple of 4), dst rows dstStride bytes apart: dz_t into
  ;; its columns of dZᵀ. Whole 4×4 blocks go through registers (two rounds of shuffles); leftover rows one by one.
  (func $transpose (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $dstStride i32)
    (local $r i32) (local $c i32) (local $rowBytes i32) (local $at i32) (local $to i32)
    (local $a v128) (local $b v128) (local $x v128) (local $y v128) (local $ab01 v128) (local $ab23 v128) (local $xy01 v128) (local $xy23 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $blocksDone (loop $blockRows
      (br_if $blocksDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $rowDone (loop $blocks
        (br_if $rowDone (i32.ge_u (local.get $c) (local.get $cols)))
        ;; rows r … r+3 of the block: a, b, x, y
        (local.set $at (i32.add (local.get $src) (i32.add (i32.mul (local.get $r) (local.get $rowBytes)) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $a (v128.load (local.get $at)))
        (local.set $b (v128.load (i32.add (local.get $at) (local.get $rowBytes))))
        (local.set $x (v128.load (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (local.set $y (v128.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 3)))))
        ;; a0 b0 a1 b1 | a2 b2 a3 b3 | x0 y0 x1 y1 | x2 y2 x3 y3
        (local.set $ab01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
        (local.set $ab23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $xy01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
        (local.set $xy23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
        ;; columns c … c+3 of the block, each a0 b0 x0 y0 and so on, into dst rows c … c+3 at column r
        (local.set $to (i32.add (local.get $dst) (i32.add (i32.mul (local.get $c) (local.get $dstStride)) (i32.shl (local.get $r) (i32.const 2)))))
        (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab01) (local.get $xy01)))
        (v128.store (i32.add (local.get $to) (local.get $dstStride))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab01) (local.get $xy01)))
        (v128.store (i32.add (local.get $to) (i32.shl (local.get $dstStride) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab23) (local.get $xy23)))
        (v128.store (i32.add (local.get $to) (i32.mul (local.get $dstStride) (i32.const 3)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab23) (local.get $xy23)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $blocks)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $blockRows)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store (i32.add (local.get $dst) (i32.add (i32.mul (local.get $c) (local.get $dstStride)) (i32.shl (local.get $r) (i32.const 2))))
          (f32.load (i32.add (local.get $src) (i32.add (i32.mul (local.get $r) (local.get $rowBytes)) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $tail))))

  ;; #include matmul.wat

  ;; #include lstm-sequence.wat
)
