import { describe, expect, it, vi } from 'vitest'
import { onStaffRequest, requestStaff } from './staff'

describe('staff requests', () => {
  it('reach every listener until it stops listening', () => {
    const a = vi.fn()
    const b = vi.fn()
    const stopA = onStaffRequest(a)
    const stopB = onStaffRequest(b)
    requestStaff()
    stopA()
    requestStaff()
    stopB()
    requestStaff()
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 2])
  })
})
