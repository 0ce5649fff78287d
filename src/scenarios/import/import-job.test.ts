import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { ImportJobRowError, parseImportJob, parseSize } from './import-job.ts'

// Rows as mysql2 hands them over from TiDB: numbers for BIGINT columns, Dates for TIMESTAMPs.
const finishedRow = {
  Job_ID: 1, Data_Source: '/path/to/file.csv', Target_Table: '`test`.`foo`', Table_ID: 116, Phase: '', Status: 'finished',
  Source_File_Size: '11GB', Imported_Rows: 950000, Result_Message: '',
  Create_Time: new Date('2023-06-26T11:23:59.281Z'), Start_Time: new Date('2023-06-26T11:23:59.484Z'), End_Time: new Date('2023-06-26T11:38:49.076Z'), Created_By: 'root@%',
}

describe('parseImportJob', () => {
  test('reads the documented columns', () => {
    expect(parseImportJob(finishedRow)).toMatchObject({ id: 1, targetTable: '`test`.`foo`', status: 'finished', importedRows: 950000, sourceFileBytes: 11e9, active: false, extra: {} })
  })

  test('accepts the text forms and NULLs of a running job', () => {
    const job = parseImportJob({ ...finishedRow, Job_ID: '7', Table_ID: null, Phase: 'importing', Status: 'running', Imported_Rows: null, Create_Time: '2023-06-26 11:23:59.281257', End_Time: null, Result_Message: null })
    expect(job).toMatchObject({ id: 7, phase: 'importing', status: 'running', importedRows: null, active: true, endTime: null })
    expect(job.createTime?.toISOString()).toBe('2023-06-26T11:23:59.281Z')
  })

  test('keeps columns added by newer TiDB versions', () => {
    const job = parseImportJob({ ...finishedRow, Last_Update_Time: '2024-01-01 00:00:00', Cur_Step: 'import', Cur_Step_Progress_Pct: '42%' })
    expect(job.extra).toEqual({ Last_Update_Time: '2024-01-01 00:00:00', Cur_Step: 'import', Cur_Step_Progress_Pct: '42%' })
  })

  test('a row without the documented columns fails naming them', () => {
    const { Job_ID: _id, ...withoutId } = finishedRow
    expect(() => parseImportJob({ ...withoutId, Start_Time: 'yesterday' })).toThrow(ImportJobRowError)
    expect(() => parseImportJob({ ...withoutId, Start_Time: 'yesterday' })).toThrow(/Job_ID = missing[\s\S]*Start_Time = "yesterday": not a time/)
  })
})

describe('parseSize', () => {
  test.each([['11GB', 11e9], ['1.02KiB', 1044], ['512B', 512], ['0', 0], ['3 MiB', 3 * 2 ** 20], ['lots', undefined]])('%s is %s bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes)
  })
  test('reads every number with every unit', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('B', 'KB', 'MB', 'GB', 'KiB', 'MiB', 'GiB'), (n, unit) => {
      expect(parseSize(`${n}${unit}`)).toBeGreaterThanOrEqual(n)
    }))
  })
})
